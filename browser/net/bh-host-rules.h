/* bh-host-rules.h: host-resolver rules, as Chromium's --host-resolver-rules.
 *
 * "MAP *.test 127.0.0.1, MAP beta.test 127.0.0.2:8080, EXCLUDE foo.test"
 *
 * The fetcher asks the rules before it resolves a host name: a mapped host
 * is connected to at the replacement address (and port, when the rule names
 * one) while the request keeps the original name in its Host header, so
 * several sites can be served from one local test server.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BH_HOST_RULES_ERROR (bh_host_rules_error_quark ())
GQuark bh_host_rules_error_quark (void);

typedef enum {
  BH_HOST_RULES_ERROR_INVALID, /* a rule that does not parse; the message says which */
} BhHostRulesError;

/* The replacement that makes a mapped name fail to resolve, as in Chromium
 * ("MAP * ~NOTFOUND, EXCLUDE localhost"). */
#define BH_HOST_RULES_NOT_FOUND "~NOTFOUND"

typedef struct _BhHostRules BhHostRules;

/**
 * bh_host_rules_parse:
 * @spec: the rules: comma-separated, each either `MAP pattern replacement`
 *   or `EXCLUDE pattern`. Keywords are case-insensitive. A pattern is a glob
 *   (`*` any run of characters, `?` one) matched case-insensitively against
 *   the host name and against "host:port". A replacement is a host name, an
 *   IPv4 literal or a bracketed IPv6 literal, optionally followed by
 *   `:port` (1-65535), or `~NOTFOUND`. Empty entries (",,") are ignored.
 * @error: return location for a #GError (%BH_HOST_RULES_ERROR_INVALID
 *   naming the rule and what is wrong with it)
 *
 * Parses rules in the syntax of Chromium's --host-resolver-rules switch
 * (net/base/host_mapping_rules.cc).
 *
 * Returns: (transfer full) (nullable): the rules, or %NULL with @error set.
 */
BhHostRules *bh_host_rules_parse (const char *spec,
                                  GError    **error);

/**
 * bh_host_rules_ref:
 *
 * Returns: (transfer full): @rules, one reference more.
 */
BhHostRules *bh_host_rules_ref (BhHostRules *rules);

/**
 * bh_host_rules_unref:
 * @rules: (nullable) (transfer full): rules, or %NULL
 */
void bh_host_rules_unref (BhHostRules *rules);

/**
 * bh_host_rules_get_n_rules:
 *
 * Returns: how many MAP and EXCLUDE rules @rules holds.
 */
guint bh_host_rules_get_n_rules (const BhHostRules *rules);

/**
 * bh_host_rules_map:
 * @rules: (nullable): the rules; %NULL maps nothing
 * @host: a host name as it appears in a URL (IPv6 literals without brackets)
 * @port: (inout) (optional): the port the URL asks for; replaced by the
 *   rule's port when the matching rule names one, untouched otherwise
 *
 * Applies the rules the way Chromium's HostMappingRules::RewriteHost does:
 * if any EXCLUDE pattern matches, nothing is mapped; otherwise the first
 * MAP rule whose pattern matches wins.
 *
 * Returns: (transfer full) (nullable): the replacement host to connect to
 *   (an IPv6 literal without brackets), %BH_HOST_RULES_NOT_FOUND when the
 *   rule says the name must not resolve, or %NULL when no rule applies.
 */
char *bh_host_rules_map (const BhHostRules *rules,
                         const char        *host,
                         guint             *port);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhHostRules, bh_host_rules_unref)

G_END_DECLS
