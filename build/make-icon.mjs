// Renders the console's favicon (renderer/public/favicon.svg) into build/icon.png, the
// 1024×1024 icon electron-builder turns into .icns / .ico / Linux icon sizes.
// Run: node build/make-icon.mjs   (needs Chromium: /usr/bin/chromium or CHROMIUM_PATH)
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright';

const SIZE = 1024;
// macOS icon grid: the artwork fills 824 of 1024 px, leaving room for the shadow.
const ARTWORK = 824;

const svg = await readFile(new URL('../renderer/public/favicon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  const inset = (SIZE - ARTWORK) / 2;
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:transparent">` +
      `<div style="position:absolute;left:${inset}px;top:${inset}px;width:${ARTWORK}px;height:${ARTWORK}px">` +
      svg.replace('<svg ', `<svg width="${ARTWORK}" height="${ARTWORK}" `) +
      `</div></body></html>`,
  );
  await page.screenshot({ path: new URL('./icon.png', import.meta.url).pathname, omitBackground: true });
} finally {
  await browser.close();
}
console.log('build/icon.png written');
