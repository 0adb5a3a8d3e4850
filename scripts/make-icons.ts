/**
 * Renders the app and tray icons from resources/icon.svg and resources/tray.svg (run after changing them:
 * `npx tsx scripts/make-icons.ts`). Outputs are committed; packaging reads them from resources/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const resources = join(import.meta.dirname, '..', 'resources');
/** `light` inverts a black glyph to white (keeping its alpha) for trays the system does not tint. */
const png = (svg: string, size: number, light = false): Promise<Buffer> => {
  const image = sharp(join(resources, svg), { density: 600 }).resize(size, size);
  return (light ? image.negate({ alpha: false }) : image).png().toBuffer();
};

/** ICO container holding PNG images (Windows Vista+ reads PNG-compressed entries). */
function ico(images: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * images.length;
  for (const { size, data } of images) {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    entries.push(entry);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

async function main(): Promise<void> {
  writeFileSync(join(resources, 'icon.png'), await png('icon.svg', 1024));
  mkdirSync(join(resources, 'icons'), { recursive: true });
  for (const size of [16, 32, 48, 64, 128, 256, 512]) {
    writeFileSync(join(resources, 'icons', `${size}x${size}.png`), await png('icon.svg', size));
  }
  const icoSizes = [16, 24, 32, 48, 64, 128, 256];
  writeFileSync(
    join(resources, 'icon.ico'),
    ico(await Promise.all(icoSizes.map(async (size) => ({ size, data: await png('icon.svg', size) })))),
  );

  // macOS tray: a black template image (the system tints it for light/dark menu bars), at 1x and 2x.
  mkdirSync(join(resources, 'tray'), { recursive: true });
  writeFileSync(join(resources, 'tray', 'trayTemplate.png'), await png('tray.svg', 16));
  writeFileSync(join(resources, 'tray', 'trayTemplate@2x.png'), await png('tray.svg', 32));
  // Linux and Windows trays are not tinted by the system: light glyph on the usual dark panels.
  writeFileSync(join(resources, 'tray', 'tray.png'), await png('tray.svg', 16, true));
  writeFileSync(join(resources, 'tray', 'tray@2x.png'), await png('tray.svg', 32, true));
  writeFileSync(
    join(resources, 'tray', 'tray.ico'),
    ico([
      { size: 16, data: await png('tray.svg', 16, true) },
      { size: 32, data: await png('tray.svg', 32, true) },
    ]),
  );
}

await main();
