// Renders the console's favicon (renderer/public/favicon.svg) into build/icon.png, the
// 1024×1024 icon electron-builder turns into .icns / .ico / Linux icon sizes, and into the
// tray icon main/tray.png (16×16) with tray@2x.png (32×32, for high-density screens).
// Run: node build/make-icon.mjs   (needs Chromium: /usr/bin/chromium or CHROMIUM_PATH)
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright';

// macOS icon grid: the artwork fills 824 of 1024 px, leaving room for the shadow.
const icons = [
  { file: new URL('./icon.png', import.meta.url), size: 1024, artwork: 824 },
  { file: new URL('../main/tray.png', import.meta.url), size: 16, artwork: 16 },
  { file: new URL('../main/tray@2x.png', import.meta.url), size: 32, artwork: 32 },
];

const svg = await readFile(new URL('../renderer/public/favicon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  for (const { file, size, artwork } of icons) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const inset = (size - artwork) / 2;
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent">` +
        `<div style="position:absolute;left:${inset}px;top:${inset}px;width:${artwork}px;height:${artwork}px">` +
        svg.replace('<svg ', `<svg width="${artwork}" height="${artwork}" `) +
        `</div></body></html>`,
    );
    await page.screenshot({ path: file.pathname, omitBackground: true });
    await page.close();
    console.log(`${file.pathname} written`);
  }
} finally {
  await browser.close();
}
