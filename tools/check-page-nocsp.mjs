// check-page.mjs: opens exported HTML pages in headless Chromium, as a reader's browser would,
// and reports what a publisher must know before the page goes out:
//   - accessibility violations found by axe-core (impact serious or critical fail the check)
//   - any script that ran from the page's content: alert/confirm/prompt dialogs, or a global
//     named __xss set by a payload
//   - console errors and failed requests for resources inside the page
// Writes a full-page screenshot next to each page as PAGE.png (or into --shots DIR).
// Usage: node check-page.mjs [--shots DIR] FILE.html...   Exit 0 only when every page is clean.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const args = process.argv.slice(2);
let shots = null;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--shots') shots = args[++i];
  else files.push(args[i]);
}
if (files.length === 0) {
  console.error('usage: check-page [--shots DIR] FILE.html...');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = 0;
for (const file of files) {
  // bypassCSP: the exported page's CSP (script-src 'none') blocks axe's injected script.
  // Bypassing it also makes the script check stricter: markup must be safe without the CSP.
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const problems = [];
  page.on('dialog', async (d) => { problems.push(`script ran: ${d.type()}(${JSON.stringify(d.message())})`); await d.dismiss(); });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const url = 'file://' + path.resolve(file);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(300);
  if (await page.evaluate(() => typeof window.__xss !== 'undefined')) problems.push('script ran: window.__xss was set');
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  for (const v of result.violations) {
    const line = `axe ${v.impact}: ${v.id} (${v.nodes.length} nodes): ${v.help}`;
    if (v.impact === 'serious' || v.impact === 'critical') problems.push(line);
    else console.log(`${file}: note: ${line}`);
  }
  const shot = shots ? path.join(shots, path.basename(file) + '.png') : file + '.png';
  await page.screenshot({ path: shot, fullPage: true });
  if (problems.length) {
    failed++;
    for (const p of problems) console.log(`${file}: ${p}`);
  } else {
    console.log(`${file}: clean (screenshot ${shot})`);
  }
  await page.close();
}
await browser.close();
process.exit(failed ? 1 : 0);
