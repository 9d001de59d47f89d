// tests/clients/webdriverio-script.mjs: the WebdriverIO script of issue 15,
// run against Bulkhead by tests/test-clients.py and against chromedriver by
// tools/clients-vs-chromium, with the same expectations for both.
//
//   node webdriverio-script.mjs HOST PORT BASE_URL BROWSER_NAME OUT_DIR
//
// HOST:PORT is the WebDriver server (Bulkhead's --remote-debugging-port, or
// chromedriver's), BASE_URL where tests/data/clients/ is served,
// BROWSER_NAME the browserName to ask for ("bulkhead" or "chrome"), OUT_DIR
// where saveScreenshot writes. Prints "ok STEP" or "not ok STEP: why" per
// step and exits 1 if one failed; BH_SKIP names steps to skip.
import fs from 'node:fs';
import path from 'node:path';
import { remote } from 'webdriverio';

const [hostname, port, base, browserName, outDir] = process.argv.slice(2);
const skip = new Set((process.env.BH_SKIP || '').split(',').filter(Boolean));
let failed = 0;

function check(condition, what) {
  if (!condition) throw new Error(what);
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

const first = base + 'index.html';
const second = base + 'second.html';
const capabilities = { browserName };
if (browserName === 'chrome') {
  capabilities['goog:chromeOptions'] = {
    binary: '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--window-size=800,600'],
  };
}
let browser;

await step('session', async () => {
  browser = await remote({ hostname, port: Number(port), path: '/', logLevel: process.env.WDIO_LOG || 'warn',
                           capabilities, connectionRetryCount: 0,
                           connectionRetryTimeout: 60000 });
  check(typeof browser.sessionId === 'string' && browser.sessionId.length > 0, 'no session id');
  return browser.capabilities.browserName;
});
if (browser === undefined) process.exit(1);

await step('url', async () => {
  await browser.url(first);
});

await step('getTitle', async () => {
  const title = await browser.getTitle();
  check(title === 'Clients: first page', title);
  return title;
});

await step('getUrl', async () => {
  const url = await browser.getUrl();
  check(url === first, url);
});

await step('element-getText', async () => {
  const text = await browser.$('#heading').getText();
  check(text === 'Hello, automation', text);
  return text;
});

await step('elements', async () => {
  const paragraphs = await browser.$$('p');
  check(paragraphs.length === 2, `${paragraphs.length} paragraphs`);
});

// Selectors by XPath ('//...'), link text ('=...') and partial link text
// ('*=...'): WebDriver's other location strategies, the same element.
await step('xpath-and-link-text', async () => {
  const byXpath = await browser.$('//p/a[@id="next"]').getText();
  const byLink = await browser.$('=Go to the second page').getAttribute('id');
  const byPartial = await browser.$('*=second page').getAttribute('href');
  check(byXpath === 'Go to the second page' && byLink === 'next' && byPartial.endsWith('second.html'),
        `${byXpath} ${byLink} ${byPartial}`);
  const paragraphs = await browser.$$('//body/p');
  check(paragraphs.length === 2, `${paragraphs.length} paragraphs`);
  return `${byXpath}, ${byLink}, ${paragraphs.length} paragraphs`;
});

// Chained selectors: Find Element(s) From Element, the element's descendants only.
await step('chained-selectors', async () => {
  const name = await browser.$('form').$('input').getAttribute('name');
  const inBody = await browser.$('body').$$('p');
  const missing = await browser.$('form').$('h1').isExisting();
  check(name === 'name' && inBody.length === 2 && missing === false, `${name} ${inBody.length} ${missing}`);
  return `${name}, ${inBody.length} paragraphs, none missing`;
});

await step('setValue', async () => {
  const field = await browser.$('#name');
  await field.setValue('Ada');
  const value = await field.getValue();
  check(value === 'Ada', JSON.stringify(value));
  // setValue clears first (Element Clear), then types (Element Send Keys).
  await field.setValue('Grace');
  const again = await field.getValue();
  check(again === 'Grace', JSON.stringify(again));
  await field.addValue(' H');
  const added = await field.getValue();
  check(added === 'Grace H', JSON.stringify(added));
  return added;
});

await step('cookies', async () => {
  await browser.setCookies({ name: 'flavour', value: 'oat' });
  const cookies = await browser.getCookies(['flavour']);
  check(cookies.length === 1 && cookies[0].value === 'oat', JSON.stringify(cookies));
  await browser.deleteCookies(['flavour']);
  const after = await browser.getCookies(['flavour']);
  check(after.length === 0, JSON.stringify(after));
});

await step('click-navigates', async () => {
  await browser.$('#next').click();
  const url = await browser.getUrl();
  check(url === second, url);
  const title = await browser.getTitle();
  check(title === 'Clients: second page', title);
});

await step('back', async () => {
  await browser.back();
  const url = await browser.getUrl();
  check(url === first, url);
});

await step('forward', async () => {
  await browser.forward();
  const url = await browser.getUrl();
  check(url === second, url);
});

await step('refresh', async () => {
  await browser.refresh();
  const url = await browser.getUrl();
  check(url === second, url);
});

await step('saveScreenshot', async () => {
  const file = path.join(outDir, 'webdriverio.png');
  await browser.saveScreenshot(file);
  const png = fs.readFileSync(file);
  check(png.subarray(1, 4).toString() === 'PNG', 'not a PNG');
  return `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`;
});

let original;
await step('newWindow-switchToWindow', async () => {
  original = await browser.getWindowHandle();
  await browser.newWindow(first);
  const handles = await browser.getWindowHandles();
  check(handles.length === 2, `${handles.length} windows`);
  const title = await browser.getTitle();
  check(title === 'Clients: first page', title);
  await browser.switchToWindow(original);
  const url = await browser.getUrl();
  check(url === second, url);
});

await step('execute', async () => {
  const sum = await browser.execute((a, b) => a + b, 2, 3);
  check(sum === 5, String(sum));
});

// An element found with $() handed to the page's script: the same element.
await step('execute-with-element', async () => {
  const link = await browser.$('#back');
  const text = await browser.execute(element => element.id + ' ' + element.textContent, link);
  check(text === 'back Back to the first page', text);
  return text;
});

// A page's confirm(): WebdriverIO's 'dialog' event (BiDi's
// userPromptOpened; without a listener WebdriverIO dismisses every dialog
// itself) and dialog.accept(); the page's script gets the answer.
await step('dialog', async () => {
  let seen;
  const listener = async dialog => {
    seen = `${dialog.type()} ${dialog.message()}`;
    await dialog.accept();
  };
  browser.on('dialog', listener);
  const answer = await browser.execute(() => confirm('Sure?'));
  browser.off('dialog', listener);
  check(answer === true && seen === 'confirm Sure?', `${answer} ${seen}`);
  return `${seen}: ${answer}`;
});

await step('maximizeWindow', async () => {
  const rect = await browser.maximizeWindow();
  check(rect.width > 0 && rect.height > 0, JSON.stringify(rect));
  return `${rect.width}x${rect.height}`;
});

await step('getPageSource', async () => {
  const source = await browser.getPageSource();
  check(source.includes('<h1 id="heading">The second page</h1>'), source.slice(0, 120));
  return `${source.length} characters`;
});

await step('deleteSession', async () => {
  await browser.deleteSession();
});

process.exit(failed > 0 ? 1 : 0);
