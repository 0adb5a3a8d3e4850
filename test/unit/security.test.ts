import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONTENT_SECURITY_POLICY } from '../../src/main/security/csp';
import {
  APP_ENTRY_URL,
  decideWindowOpen,
  isExternalUrlAllowed,
  isNavigationAllowed,
  isPermissionAllowed,
  isTrustedSender,
  secureWebPreferences,
} from '../../src/main/security/window-policy';
import { readStaticFile, resolveStaticPath } from '../../src/main/web/static';
import { tempDir } from '../support/temp';

/** Hostile or foreign URLs: none may be navigated to or opened in a window. */
function hostileCorpus(): string[] {
  const hosts = [
    'evil.com',
    'hoody.evil.com',
    'app.hoody.com.evil.com',
    'xn--hoody-9ua.com',
    'hооdy',
    '127.0.0.1',
    'localhost',
    '[::1]',
    '0x7f000001',
    'hoody.',
  ];
  const schemes = [
    'http',
    'https',
    'ftp',
    'file',
    'ws',
    'wss',
    'chrome',
    'devtools',
    'view-source:app',
    'APP',
    'App',
    'blob:app',
    'filesystem:app',
  ];
  const out = new Set<string>();
  for (const scheme of schemes) for (const host of hosts) out.add(`${scheme}://${host}/index.html`);
  for (const host of hosts) {
    out.add(`app://${host}/index.html`);
    out.add(`app://user@${host}/`);
    out.add(`https://${host}/#app://hoody/`);
    out.add(`http://${host}@hoody/`);
  }
  for (const prefix of [
    'javascript:',
    'JavaScript:',
    ' javascript:',
    'data:',
    'data:text/html,',
    'vbscript:',
    'about:',
    'blob:',
    'file:',
  ]) {
    out.add(`${prefix}alert(1)`);
    out.add(`${prefix}//hoody/index.html`);
  }
  for (const tricky of [
    'app://hoody@evil.com/',
    'app://hoody:80/index.html',
    'app://user:pass@hoody/index.html',
    'app:\\\\hoody\\index.html',
    'app://hoody\\@evil.com/',
    'app://hoody%2fevil.com/',
    'app://evil.com#app://hoody/',
    'app://hoody.evil.com/',
    'app://hoodyx/',
    'app:/hoody',
    '//hoody/index.html',
    '/index.html',
    '',
    'app://hoody/\u0000',
    'app://hoody/\n',
    'file:///etc/passwd',
    'file://hoody/index.html',
  ]) {
    out.add(tricky);
  }
  return [...out];
}

describe('window policy', () => {
  it('every window gets contextIsolation, sandbox, no node integration and web security', () => {
    const prefs = secureWebPreferences('/p/preload.cjs');
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.experimentalFeatures, false);
  });

  it('allows navigation only within app://hoody', () => {
    assert.ok(isNavigationAllowed(APP_ENTRY_URL));
    assert.ok(isNavigationAllowed('app://hoody/index.html#/page/1'));
    const corpus = hostileCorpus();
    assert.ok(corpus.length >= 200, `corpus has ${corpus.length} URLs`);
    const allowed = corpus.filter((url) => isNavigationAllowed(url));
    assert.deepEqual(allowed, [], 'no hostile URL is navigable');
    assert.deepEqual(
      corpus.filter((url) => decideWindowOpen(url).action !== 'deny'),
      [],
    );
  });

  it('opens externally only plain http(s) and mailto links', () => {
    for (const ok of [
      'https://example.com/a?b#c',
      'http://example.org',
      'mailto:someone@example.com',
      'HTTPS://Example.com',
    ]) {
      assert.ok(isExternalUrlAllowed(ok), ok);
      assert.equal(decideWindowOpen(ok).openExternally, ok);
    }
    const nonWeb = hostileCorpus().filter((url) => !/^(https?|mailto):/i.test(url));
    assert.ok(nonWeb.length > 100);
    for (const bad of nonWeb) assert.equal(isExternalUrlAllowed(bad), false, bad);
    for (const local of [
      'http://127.0.0.1/index.html',
      'http://localhost/',
      'http://[::1]/',
      'http://0x7f000001/',
      'http://0.0.0.0/',
    ]) {
      assert.equal(isExternalUrlAllowed(local), false, local);
    }
    for (const bad of [
      'https://user:pw@example.com',
      'https://user@example.com',
      'mailto:',
      'http://localhost:3000',
      'https://a.localhost',
    ]) {
      assert.equal(isExternalUrlAllowed(bad), false, bad);
    }
  });

  it('trusts IPC only from our main frame', () => {
    assert.ok(isTrustedSender(APP_ENTRY_URL, true));
    assert.equal(isTrustedSender(APP_ENTRY_URL, false), false, 'subframes are not trusted');
    for (const url of hostileCorpus()) assert.equal(isTrustedSender(url, true), false, url);
    assert.equal(isTrustedSender(undefined, true), false);
  });

  it('denies permissions by default', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'hid',
      'serial',
      'usb',
    ]) {
      assert.equal(isPermissionAllowed(permission, APP_ENTRY_URL), false, permission);
    }
    assert.equal(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.com'), false);
  });
});

describe('content security policy', () => {
  it('allows no inline script, eval, inline style or foreign origin', () => {
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval|\*|http:|https:/);
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'/);
    assert.match(CONTENT_SECURITY_POLICY, /object-src 'none'/);
  });
});

describe('static files (browser mode and app://)', () => {
  const root = tempDir('static');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, '..', 'secret.txt'), 'do not serve');

  it('serves files inside the root', async () => {
    assert.equal((await readStaticFile(root, '/'))?.contentType, 'text/html; charset=utf-8');
    assert.equal((await readStaticFile(root, '/assets/app.js'))?.body.toString(), 'console.log(1)');
  });

  it('refuses every traversal attempt', async () => {
    const attempts = [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/../../secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..\\secret.txt',
      '/%5c..%5csecret.txt',
      '/assets\\..\\..\\secret.txt',
      '/....//secret.txt',
      '/./../secret.txt',
      '/assets/./../../secret.txt',
      '/%252e%252e/secret.txt',
      '/..%00/secret.txt',
      '/index.html%00.js',
      '/%00',
      '/C:/Windows/win.ini',
      '/c:%5cwindows',
      '//etc/passwd',
      '/%2F..%2F..%2Fsecret.txt',
      '/..;/secret.txt',
      '/.%2e/secret.txt',
      '/%2e./secret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/\u2025/secret.txt',
      '/%c0%ae%c0%ae/secret.txt',
      '/%uff0e%uff0e/secret.txt',
      '/..%252f..%252fsecret.txt',
      '/assets/..',
      '/..',
      '/%',
      '/%zz',
      '/file:///etc/passwd',
      '/assets/../../../../../../etc/passwd',
    ];
    assert.ok(attempts.length >= 30);
    for (const attempt of attempts) {
      const file = await readStaticFile(root, attempt);
      assert.ok(file === null || !file.body.toString().includes('do not serve'), attempt);
      const path = resolveStaticPath(root, attempt);
      assert.ok(path === null || path.startsWith(root), attempt);
    }
  });
});
