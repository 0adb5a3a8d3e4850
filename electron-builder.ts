import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Configuration } from 'electron-builder';

/**
 * Packaging (`npm run dist`), for a machine that can download Electron. Decisions worth a test live here as
 * data: targets, hardened runtime, fuses, what is rebuilt, where updates come from.
 */

/**
 * better-sqlite3 must be rebuilt for Electron's ABI, which needs Electron's binary. Where it could not be
 * downloaded, electron-builder's rebuild silently builds for Node's ABI and ships a module that crashes at
 * start — so packaging refuses to begin there (`beforeBuild`).
 */
export function electronBinaryAvailable(): boolean {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path);
  } catch {
    return false;
  }
}

/** The update feed (electron-updater, generic provider); unset means the build checks for no updates. */
export const UPDATE_FEED_URL = process.env.HOODY_UPDATE_FEED_URL ?? null;

export const DEEP_LINK_SCHEME = 'hoody-notes';

const config: Configuration = {
  appId: 'com.hoody.notes',
  productName: 'Hoody Notes',
  executableName: 'hoody-notes',
  copyright: 'Copyright © Hoody Notes contributors',
  directories: { output: 'dist', buildResources: 'resources' },
  /**
   * The app's bundles and, from node_modules, only the production dependencies (the main bundle's externals
   * and what they need; the renderer is bundled, the server is not the app's). better-sqlite3 ships its
   * compiled addon and its JS, not the SQLite sources and object files it was built from (~20 MB).
   * test/integration/packaging-contents.test.ts packs for real and checks what lands.
   */
  files: [
    'out/**',
    'package.json',
    '!**/*.map',
    '!**/node_modules/better-sqlite3/{deps,src}/**',
    '!**/node_modules/better-sqlite3/build/{deps,Release/obj,Release/.deps}/**',
    '!**/node_modules/better-sqlite3/build/Release/test_extension.node',
  ],
  extraResources: [{ from: 'resources/tray', to: 'tray' }],
  asar: true,
  // Native modules cannot be loaded from inside the archive.
  asarUnpack: ['**/node_modules/better-sqlite3/**'],
  npmRebuild: true,
  beforeBuild: () => {
    if (!electronBinaryAvailable()) {
      throw new Error(
        "Packaging needs Electron's binary (to rebuild better-sqlite3 for it); install it first.",
      );
    }
    return Promise.resolve(true);
  },
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  },
  protocols: [{ name: 'Hoody Notes link', schemes: [DEEP_LINK_SCHEME] }],
  publish: UPDATE_FEED_URL ? [{ provider: 'generic', url: UPDATE_FEED_URL }] : null,
  mac: {
    target: ['dmg', 'zip'],
    category: 'public.app-category.productivity',
    icon: 'resources/icon.png',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'resources/entitlements.mac.plist',
    entitlementsInherit: 'resources/entitlements.mac.plist',
    // Notarisation runs when the Apple credentials are in the environment (APPLE_ID +
    // APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or an App Store Connect API key); otherwise it is skipped.
    notarize: Boolean(process.env.APPLE_TEAM_ID ?? process.env.APPLE_API_KEY_ID),
  },
  dmg: { sign: false },
  win: { target: ['nsis'], icon: 'resources/icon.ico' },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    deleteAppDataOnUninstall: false,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Office',
    icon: 'resources/icons',
    synopsis: 'Offline-first notes that sync with Hoody Notes',
    maintainer: 'Hoody Notes <notes@hoody.invalid>',
  },
  deb: { depends: ['libnotify4', 'libxtst6', 'libnss3'] },
};

export default config;
