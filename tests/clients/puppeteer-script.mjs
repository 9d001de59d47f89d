// tests/clients/puppeteer-script.mjs: the puppeteer-core script of issue 15,
// run against Bulkhead by tests/test-clients.py and against Chromium by
// tools/clients-vs-chromium, with the same expectations for both.
//
//   node puppeteer-script.mjs WS_ENDPOINT BASE_URL
//
// WS_ENDPOINT: the browser's WebDriver BiDi WebSocket; BASE_URL: where
// tests/data/clients/ is served ("http://127.0.0.1:PORT/"). Prints one line
// per step, "ok STEP" or "not ok STEP: why", and exits 1 if a step failed.
// A step that needs what the browser does not have yet (JavaScript) is
// skipped when BH_SKIP names it ("title,content"), and says so.
import puppeteer from 'puppeteer-core';

const [endpoint, base] = process.argv.slice(2);
const skip = new Set((process.env.BH_SKIP || '').split(',').filter(Boolean));
let failed = 0;

function check(condition, what) {
  if (!condition) throw new Error(what);
}

// Width and height from a PNG's IHDR chunk.
function pngSize(buffer) {
  check(buffer.subarray(1, 4).toString() === 'PNG', 'not a PNG');
  return [buffer.readUInt32BE(16), buffer.readUInt32BE(20)];
}

async function step(name, body) {
  if (skip.has(name)) {
    console.log(`ok ${name} # SKIP`);
    return;
  }
  try {
    const detail = await body();
    console.log(`ok ${name}${detail !== undefined ? ': ' + detail : ''}`);
  } catch (error) {
    failed++;
    console.log(`not ok ${name}: ${String(error && error.stack || error).split('\n').slice(0, 4).join(' | ')}`);
  }
}

const timeout = 30000;
let browser;
let page;
const first = base + 'index.html';
const second = base + 'second.html';

await step('connect', async () => {
  browser = await puppeteer.connect({ browserWSEndpoint: endpoint, protocol: 'webDriverBiDi',
                                      protocolTimeout: timeout });
  check(browser.connected, 'not connected');
  return await browser.version();
});
if (browser === undefined) process.exit(1);

await step('pages', async () => {
  const pages = await browser.pages();
  check(pages.length >= 1, `${pages.length} pages`);
  return `${pages.length} page(s)`;
});

await step('newPage', async () => {
  page = await browser.newPage();
  page.setDefaultTimeout(timeout);
  check(page.url() === 'about:blank', page.url());
});

await step('goto', async () => {
  const response = await page.goto(first);
  check(response !== null, 'no response');
  check(response.status() === 200, `status ${response.status()}`);
  check(response.url() === first, response.url());
  return `HTTP ${response.status()}`;
});

// The response's body (network.addDataCollector at connect, network.getData).
await step('response-text', async () => {
  const response = await page.goto(first);
  const text = await response.text();
  check(text.includes('<h1 id="heading">Hello, automation</h1>'), text.slice(0, 120));
  return `${text.length} bytes`;
});

await step('url', async () => {
  check(page.url() === first, page.url());
});

await step('goto-404', async () => {
  const response = await page.goto(base + 'missing.html');
  check(response.status() === 404, `status ${response.status()}`);
  return `HTTP ${response.status()}`;
});

await step('goto-again', async () => {
  const response = await page.goto(first);
  check(response.status() === 200, `status ${response.status()}`);
});

await step('title', async () => {
  const title = await page.title();
  check(title === 'Clients: first page', title);
  return title;
});

await step('content', async () => {
  const html = await page.content();
  check(html.includes('Hello, automation'), html.slice(0, 200));
});

await step('$$eval', async () => {
  const texts = await page.$$eval('p', ps => ps.map(p => p.textContent.trim()));
  check(texts.length === 2 && texts[0] === 'A page for puppeteer-core and WebdriverIO.',
        JSON.stringify(texts));
  return `${texts.length} paragraphs`;
});

await step('evaluate', async () => {
  const sum = await page.evaluate((a, b) => a + b, 2, 3);
  check(sum === 5, String(sum));
});

await step('cookies', async () => {
  await page.setCookie({ name: 'flavour', value: 'oat' });
  const cookies = await page.cookies();
  const found = cookies.find(c => c.name === 'flavour');
  check(found !== undefined && found.value === 'oat', JSON.stringify(cookies));
  await page.deleteCookie({ name: 'flavour' });
  const after = await page.cookies();
  check(!after.some(c => c.name === 'flavour'), JSON.stringify(after));
  return `${cookies.length} cookie(s), then ${after.length}`;
});

await step('setViewport', async () => {
  await page.setViewport({ width: 640, height: 480 });
  const shot = await page.screenshot();
  const [w, h] = pngSize(shot);
  // Chromium leaves its vertical scrollbar (15 px) out of the picture.
  check(w <= 640 && w >= 620 && h === 480, `${w}x${h}`);
  return `${w}x${h}`;
});

await step('screenshot-clip', async () => {
  const shot = await page.screenshot({ clip: { x: 10, y: 20, width: 100, height: 50 } });
  const [w, h] = pngSize(shot);
  check(w === 100 && h === 50, `${w}x${h}`);
  return `${w}x${h}`;
});

await step('screenshot-fullPage', async () => {
  const shot = await page.screenshot({ fullPage: true });
  const [w, h] = pngSize(shot);
  check(w === 640 && h > 1500, `${w}x${h}`);
  return `${w}x${h}`;
});

await step('goto-second', async () => {
  const response = await page.goto(second);
  check(response.status() === 200 && page.url() === second, page.url());
});

await step('goBack', async () => {
  const response = await page.goBack();
  check(page.url() === first, page.url());
  return response !== null ? `HTTP ${response.status()}` : 'no response';
});

await step('goForward', async () => {
  await page.goForward();
  check(page.url() === second, page.url());
});

await step('reload', async () => {
  const response = await page.reload();
  check(page.url() === second, page.url());
  // Chromium may answer a reload from its cache, with no response (or a
  // 304) to report; Bulkhead has no HTTP cache and reports the 200.
  check(response === null || [200, 304].includes(response.status()),
        `reload status ${response && response.status()}`);
  return response !== null ? `HTTP ${response.status()}` : 'no response (cache)';
});

await step('goto-first', async () => {
  await page.goto(first);
  check(page.url() === first, page.url());
});

// page.pdf() is browsingContext.print. With puppeteer's defaults (no margins,
// backgrounds off) the page (h1, two paragraphs, a 1500 px block) takes two
// A4 pages of 1123 CSS px in Chromium and in Bulkhead.
await step('pdf', async () => {
  const pdf = Buffer.from(await page.pdf({ format: 'A4' }));
  check(pdf.subarray(0, 5).toString() === '%PDF-', `not a PDF: ${pdf.subarray(0, 8)}`);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) || []).length;
  check(pages === 2, `${pages} pages`);
  const landscape = Buffer.from(await page.pdf({ format: 'A4', landscape: true, pageRanges: '1' }));
  const one = (landscape.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) || []).length;
  check(one === 1, `pageRanges '1': ${one} pages`);
  return `${pdf.length} bytes, ${pages} pages`;
});

// Keyboard typing into a form field: page.type focuses the field (script's
// focus()) and sends one key per character (input.performActions); the
// field's value is what was typed, and Enter submits its form (a GET of
// second.html?name=...).
await step('type', async () => {
  await page.type('#name', 'Ada L');
  const value = await page.$eval('#name', input => input.value);
  check(value === 'Ada L', JSON.stringify(value));
  await page.$eval('#name', input => { input.value = ''; });
  await page.click('#name');
  await page.keyboard.type('Grace');
  const typed = await page.$eval('#name', input => input.value);
  check(typed === 'Grace', JSON.stringify(typed));
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  check(page.url() === second + '?name=Grace', page.url());
  await page.goto(first);
  return `${value}, then ${typed}`;
});

// Request interception (network.addIntercept, then continueRequest,
// provideResponse, failRequest for each blocked beforeRequestSent): a page
// the client makes up, a request it fails, and the rest going on with the
// headers the browser sends.
await step('request-interception', async () => {
  await page.setRequestInterception(true);
  const agents = [];
  const onRequest = request => {
    if (request.isInterceptResolutionHandled()) return;
    if (request.url().endsWith('/made-up.html')) {
      request.respond({ status: 200, contentType: 'text/html',
                        body: '<!DOCTYPE html><title>Made up</title><p id="p">from the client</p>' })
        .catch(() => {});
    } else if (request.url().endsWith('/blocked.html')) {
      request.abort().catch(() => {});
    } else {
      agents.push(request.headers()['user-agent'] || '');
      // A request of a page being left may be gone by the time we answer.
      request.continue().catch(() => {});
    }
  };
  page.on('request', onRequest);
  try {
    const madeUp = await page.goto(base + 'made-up.html');
    check(madeUp.status() === 200, `status ${madeUp.status()}`);
    const title = await page.title();
    check(title === 'Made up', title);
    let failure = '';
    try {
      await page.goto(base + 'blocked.html');
    } catch (error) {
      failure = String(error.message);
    }
    check(failure.includes('net::ERR_FAILED'), `goto of a failed request: ${failure || 'no error'}`);
    // Chromium sometimes reports no response for this goto (the page it
    // had before the failed one): the page itself is what counts.
    const real = await page.goto(first);
    const realTitle = await page.title();
    check((real === null || real.status() === 200) && realTitle === 'Clients: first page',
          `${real && real.status()} ${realTitle}`);
    check(agents.length > 0 && agents.every(agent => agent.startsWith('Mozilla/5.0')),
          JSON.stringify(agents));
    return `${agents.length} continued, 1 made up, 1 failed`;
  } finally {
    page.off('request', onRequest);
    await page.setRequestInterception(false);
  }
});

// page.evaluateOnNewDocument (script.addPreloadScript): the function runs in
// every new document of the page, before its own scripts; removed, no more.
await step('evaluateOnNewDocument', async () => {
  const { identifier } = await page.evaluateOnNewDocument(() => {
    window.preloaded = (window.preloaded || 0) + 1;
  });
  await page.goto(second);
  const first_run = await page.evaluate(() => window.preloaded);
  check(first_run === 1, String(first_run));
  await page.removeScriptToEvaluateOnNewDocument(identifier);
  await page.goto(first);
  const after = await page.evaluate(() => typeof window.preloaded);
  check(after === 'undefined', after);
  return `ran ${first_run} time, then ${after}`;
});

// The page's console and uncaught errors (log.entryAdded): puppeteer's
// 'console' and 'pageerror' events.
await step('console', async () => {
  const messages = [];
  const errors = [];
  const onConsole = message => messages.push(`${message.type()}: ${message.text()}`);
  const onError = error => errors.push(error.message);
  page.on('console', onConsole);
  page.on('pageerror', onError);
  try {
    await page.evaluate(() => {
      console.log('hello', 'world');
      console.warn('careful');
      setTimeout(() => { throw new Error('boom'); }, 0);
    });
    const deadline = Date.now() + 10000;
    while ((messages.length < 2 || errors.length < 1) && Date.now() < deadline)
      await new Promise(resolve => setTimeout(resolve, 50));
    check(messages.includes('log: hello world') && messages.includes('warn: careful'),
          JSON.stringify(messages));
    check(errors.length === 1 && errors[0].includes('boom'), JSON.stringify(errors));
    return `${messages.length} messages, ${errors.length} error`;
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onError);
  }
});

// A page's confirm() and prompt(): puppeteer's 'dialog' event
// (browsingContext.userPromptOpened) and dialog.accept()
// (browsingContext.handleUserPrompt); the page's script gets the answers.
await step('dialog', async () => {
  let seen;
  page.once('dialog', async dialog => {
    seen = `${dialog.type()} ${dialog.message()}`;
    await dialog.accept();
  });
  const confirmed = await page.evaluate(() => confirm('Proceed?'));
  check(confirmed === true && seen === 'confirm Proceed?', `${confirmed} ${seen}`);
  page.once('dialog', async dialog => {
    seen = `${dialog.type()} ${dialog.message()} ${dialog.defaultValue()}`;
    await dialog.accept('Ada');
  });
  const name = await page.evaluate(() => prompt('Name?', 'nobody'));
  check(name === 'Ada' && seen === 'prompt Name? nobody', `${name} ${seen}`);
  page.once('dialog', dialog => dialog.dismiss().catch(() => {}));
  const dismissed = await page.evaluate(() => confirm('Again?'));
  check(dismissed === false, String(dismissed));
  return `${confirmed}, ${name}, ${dismissed}`;
});

await step('click-navigates', async () => {
  await Promise.all([page.waitForNavigation(), page.click('#next')]);
  check(page.url() === second, page.url());
});

await step('close', async () => {
  const before = (await browser.pages()).length;
  await page.close();
  const after = (await browser.pages()).length;
  check(after === before - 1, `${before} -> ${after} pages`);
});

await step('disconnect', async () => {
  await browser.disconnect();
});

process.exit(failed > 0 ? 1 : 0);
