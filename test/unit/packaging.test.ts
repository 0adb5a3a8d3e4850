import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import config, { electronBinaryAvailable } from '../../electron-builder';

const root = join(import.meta.dirname, '..', '..');

describe('packaging configuration (electron-builder)', () => {
  it("validates against electron-builder's schema", async () => {
    await validateConfiguration(config, new DebugLogger(false));
    // The validator bites: an unknown option is refused.
    await assert.rejects(
      validateConfiguration({ ...config, notAnOption: true } as never, new DebugLogger(false)),
    );
  });

  it('sets the security fuses', () => {
    assert.deepEqual(config.electronFuses, {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    assert.equal(config.asar, true);
  });

  it('builds dmg+zip with hardened runtime and minimal entitlements, nsis, AppImage+deb', () => {
    assert.deepEqual(config.mac?.target, ['dmg', 'zip']);
    assert.equal(config.mac?.hardenedRuntime, true);
    const entitlements = readFileSync(join(root, config.mac!.entitlements!), 'utf8');
    const keys = [...entitlements.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
    assert.deepEqual(keys, ['com.apple.security.cs.allow-jit']);
    assert.deepEqual(config.win?.target, ['nsis']);
    assert.deepEqual(config.linux?.target, ['AppImage', 'deb']);
    assert.deepEqual(config.protocols, [{ name: 'Hoody Notes link', schemes: ['hoody-notes'] }]);
  });

  it('refuses to package where Electron cannot be had (native modules would target Node)', async () => {
    assert.equal(electronBinaryAvailable(), false, 'this machine has no Electron binary');
    const beforeBuild = config.beforeBuild;
    assert.equal(typeof beforeBuild, 'function');
    if (typeof beforeBuild !== 'function') return;
    await assert.rejects(async () => beforeBuild({} as never), /Electron's binary/);
  });

  it('notarizes only when Apple credentials are in the environment', () => {
    assert.equal(config.mac?.notarize, Boolean(process.env.APPLE_TEAM_ID ?? process.env.APPLE_API_KEY_ID));
  });
});

describe('icons', () => {
  it('has the app icon at 1024 px and the Linux sizes', async () => {
    assert.equal((await sharp(join(root, 'resources/icon.png')).metadata()).width, 1024);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      const meta = await sharp(join(root, `resources/icons/${size}x${size}.png`)).metadata();
      assert.deepEqual([meta.width, meta.height], [size, size]);
    }
  });

  it('has macOS tray template images (black + alpha) at 1x and 2x, and light Linux/Windows tray icons', async () => {
    for (const [file, size] of [
      ['trayTemplate.png', 16],
      ['trayTemplate@2x.png', 32],
    ] as const) {
      const { data, info } = await sharp(join(root, 'resources/tray', file))
        .raw()
        .toBuffer({ resolveWithObject: true });
      assert.deepEqual([info.width, info.channels], [size, 4]);
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3]! > 200) assert.ok(data[i]! < 60, 'template images are black where opaque');
      }
    }
    const { data } = await sharp(join(root, 'resources/tray/tray@2x.png'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    let bright = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 200 && data[i]! > 200) bright++;
    assert.ok(bright > 20, 'the non-template tray icon is light');
  });

  it('has Windows .ico files holding several sizes', () => {
    for (const [file, count] of [
      ['resources/icon.ico', 7],
      ['resources/tray/tray.ico', 2],
    ] as const) {
      const ico = readFileSync(join(root, file));
      assert.equal(ico.readUInt16LE(2), 1, 'type: icon');
      assert.equal(ico.readUInt16LE(4), count);
    }
    assert.ok(existsSync(join(root, 'resources/icon.svg')), 'sources are kept for scripts/make-icons.ts');
  });
});
