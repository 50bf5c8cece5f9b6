'use strict';
// Drives Debian's chromium (headless, through playwright-core) against a running LineSight runtime.
// Called by WebDashboardEndToEndTest; prints one JSON line with what it saw and exits 0, or prints the
// failure and exits 1.
//
//   node dashboard-e2e.js <mode: dashboard|frame> <base url> <golden image> <expected label> <screenshot dir>
const { chromium } = require('playwright-core');

const [mode, base, golden, expectedLabel, shots] = process.argv.slice(2);

async function inspected(page) {
  return Number(await page.locator('#line-default .inspected').textContent());
}

async function dashboard(page, seen) {
  await page.goto(base + '/');
  await page.locator('#line-default .inspected').waitFor({ timeout: 30000 });
  seen.firstCount = await inspected(page);
  await page.waitForFunction(n => Number(document.querySelector('#line-default .inspected').textContent) > n,
    seen.firstCount, { timeout: 30000, polling: 200 });
  seen.laterCount = await inspected(page);
  seen.connection = await page.locator('#connection').textContent();

  // A rollback with a wrong token: the page asks for the reason, then for a token; the server refuses.
  const answers = ['checked by the browser test', 'not-a-valid-token'];
  page.on('dialog', d => d.accept(answers.shift()));
  await page.locator('#line-default button.rollback').click({ timeout: 30000 });
  await page.waitForFunction(() => /refused \(401\)/.test(document.getElementById('message').textContent), null, { timeout: 15000 });
  seen.rollbackMessage = await page.locator('#message').textContent();
  seen.rollbackWithoutCredential = await page.evaluate(async () =>
    (await fetch('/api/lines/default/rollback', { method: 'POST', body: '{}' })).status);
  await page.screenshot({ path: shots + '/web-dashboard.png', fullPage: true });

  await page.goto(base + '/upload');
  await page.locator('#model option').first().waitFor({ state: 'attached', timeout: 15000 });
  seen.model = await page.locator('#model').inputValue();
  await page.setInputFiles('#files', [golden]);
  await page.click('#check');
  const best = page.locator('.result .top5 tr.best td.label');
  await best.waitFor({ timeout: 60000 });
  seen.uploadLabel = await best.textContent();
  seen.uploadProbability = await page.locator('.result .top5 tr.best td.probability').textContent();
  await page.setInputFiles('#files', [{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') }]);
  await page.click('#check');
  await page.locator('.result.failed .error').waitFor({ timeout: 15000 });
  seen.nonImageMessage = await page.locator('.result.failed .error').textContent();
  await page.screenshot({ path: shots + '/web-upload.png', fullPage: true });
  if (seen.laterCount <= seen.firstCount) throw new Error('counters did not increase');
  if (seen.uploadLabel !== expectedLabel) throw new Error('upload said ' + seen.uploadLabel + ', expected ' + expectedLabel);
}

async function frame(page, seen) {
  await page.goto(base + '/');
  const img = page.locator('#frame-default');
  await page.waitForFunction(() => { const i = document.getElementById('frame-default'); return i && !i.hidden && i.complete && i.naturalWidth > 0; },
    null, { timeout: 30000, polling: 200 });
  seen.firstFrame = await img.getAttribute('src');
  await page.waitForFunction(src => { const i = document.getElementById('frame-default');
    return i.getAttribute('src') !== src && i.complete && i.naturalWidth > 0; }, seen.firstFrame, { timeout: 30000, polling: 200 });
  seen.laterFrame = await img.getAttribute('src');
  seen.frameWidth = await img.evaluate(i => i.naturalWidth);
  await page.screenshot({ path: shots + '/web-dashboard-frame.png', fullPage: true });
}

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const seen = { mode };
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', e => { seen.pageErrors = (seen.pageErrors || []).concat(String(e)); });
    await (mode === 'frame' ? frame(page, seen) : dashboard(page, seen));
    if (seen.pageErrors) throw new Error('script errors on the page: ' + seen.pageErrors.join('; '));
    console.log(JSON.stringify(Object.assign(seen, { ok: true })));
  } catch (e) {
    console.log(JSON.stringify(Object.assign(seen, { ok: false, error: String(e && e.message || e) })));
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
})();
