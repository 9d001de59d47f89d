#!/bin/sh
# hostile-renderer.sh: a renderer gone bad, for tests/test-crash.c.
#
# Given as --renderer-cmd-prefix, it runs where the renderer would: inside
# the sandbox launcher's namespaces (bwrap runs the prefix, which is meant
# to exec the renderer: "bwrap [namespace options] -- PREFIX RENDERER
# --ipc-fd=3 ... --site=SITE"). For a site containing "evil" it does not
# exec the renderer: it writes bytes that are no frame of the protocol onto
# the channel, whose fd it reads from --ipc-fd=N, and waits to be killed.
# Any other site gets the real renderer, so its tabs are untouched.

ipc_fd=
evil=
for arg in "$@"; do
  case "$arg" in
    --ipc-fd=*) ipc_fd="${arg#--ipc-fd=}" ;;
    --site=*evil*) evil=1 ;;
  esac
done

if [ -z "$evil" ]; then
  exec "$@"
fi

case "$ipc_fd" in
  ''|*[!0-9]*) echo "hostile-renderer: no --ipc-fd=N in: $*" >&2; exit 2 ;;
esac

# A frame header's worth of junk (bad magic, absurd length), then more.
printf '\336\255\276\357\377\377\377\377garbage that is no frame of the protocol' >&"$ipc_fd"
# The browser is expected to SIGKILL us; sleep is a child, so exec it.
exec sleep 60
