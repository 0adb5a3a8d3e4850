import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COMMANDS,
  DEFAULT_GLOBAL_SHORTCUT,
  commandForKey,
  isValidGlobalShortcut,
  matchesShortcut,
  shortcutFor,
  toAccelerator,
} from '../../src/shared/commands';
import type { SyncStatusView } from '../../src/shared/contract';
import { deepLinkFromArgv, parseDeepLink } from '../../src/main/desktop/deep-link';
import { switchGlobalShortcut } from '../../src/main/desktop/global-shortcut';
import { EMPTY_DRAFT, loadDraft, parseDestination } from '../../src/renderer/features/capture/draft';
import { fuzzyFilter, fuzzyScore } from '../../src/renderer/features/commands/fuzzy';
import { applicationMenuModel, type MenuItemModel } from '../../src/main/desktop/menu-model';
import { syncStatusLine, trayMenuModel } from '../../src/main/desktop/tray-model';
import {
  nextUpdateState,
  updateFeed,
  updateMenuLabel,
  type UpdateState,
} from '../../src/main/desktop/update-model';
import { CAPTURE_URL, captureWindowOptions, mainWindowOptions } from '../../src/main/desktop/window-options';
import { parseWindowState, restoreWindowState } from '../../src/main/desktop/window-state';
import { isAppUrl, isTrustedSender, secureWebPreferences } from '../../src/main/security/window-policy';
import config from '../../electron-builder';

const key = (
  k: string,
  code: string,
  mods: Partial<Record<'ctrl' | 'meta' | 'alt' | 'shift', boolean>> = {},
) => ({
  key: k,
  code,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  altKey: mods.alt ?? false,
  shiftKey: mods.shift ?? false,
});

describe('command registry (src/shared/commands.ts)', () => {
  it('has unique ids and no two commands on one shortcut, on either platform', () => {
    assert.equal(new Set(COMMANDS.map((c) => c.id)).size, COMMANDS.length);
    for (const mac of [true, false]) {
      const shortcuts = COMMANDS.flatMap((c) => shortcutFor(c, mac) ?? []);
      assert.equal(new Set(shortcuts).size, shortcuts.length);
    }
    for (const title of [
      'New page',
      'Quick note',
      'Command palette',
      'Toggle dark theme',
      'Open trash',
      'Sync now',
    ])
      assert.ok(
        COMMANDS.some((c) => c.title === title),
        title,
      );
  });

  it('matches shortcuts with Mod = Ctrl (Windows/Linux) or Cmd (macOS), exactly', () => {
    assert.ok(matchesShortcut(key('k', 'KeyK', { ctrl: true }), 'Mod+K', false));
    assert.ok(matchesShortcut(key('k', 'KeyK', { meta: true }), 'Mod+K', true));
    assert.ok(!matchesShortcut(key('k', 'KeyK', { meta: true }), 'Mod+K', false));
    assert.ok(!matchesShortcut(key('k', 'KeyK', { ctrl: true, shift: true }), 'Mod+K', false));
    assert.ok(!matchesShortcut(key('k', 'KeyK', { ctrl: true, alt: true }), 'Mod+K', false));
    assert.ok(!matchesShortcut(key('k', 'KeyK'), 'Mod+K', false));
    // macOS Option composes characters: ⌘⌥N types "˜" but is still Mod+Alt+N.
    assert.ok(matchesShortcut(key('˜', 'KeyN', { meta: true, alt: true }), 'Mod+Alt+N', true));
    assert.ok(matchesShortcut(key('/', 'Slash', { ctrl: true }), 'Mod+/', false));
    assert.equal(commandForKey(key('k', 'KeyK', { ctrl: true }), false)?.id, 'app.palette');
    assert.equal(commandForKey(key('n', 'KeyN', { ctrl: true, alt: true }), false)?.id, 'page.new');
    assert.equal(
      commandForKey(key('n', 'KeyN', { ctrl: true }), false),
      undefined,
      'Ctrl+N stays the browser’s',
    );
    assert.equal(toAccelerator('Mod+Alt+N'), 'CmdOrCtrl+Alt+N');
  });

  it('accepts only real global shortcuts (modifier + one key)', () => {
    assert.ok(isValidGlobalShortcut(DEFAULT_GLOBAL_SHORTCUT));
    for (const ok of [
      'CommandOrControl+Shift+Space',
      'Alt+Shift+N',
      'Ctrl+Alt+F12',
      'Super+Enter',
      'Cmd+Shift+.',
    ])
      assert.ok(isValidGlobalShortcut(ok), ok);
    for (const bad of [
      '',
      'N',
      'Shift+N',
      'Ctrl+Ctrl+N',
      'Ctrl+',
      'Ctrl+Alt+Shift+Super+N',
      'Ctrl+Foo',
      'ctrl+n',
      'Ctrl+NN',
      'Ctrl+N+M',
      `Ctrl+${'x'.repeat(70)}`,
    ])
      assert.ok(!isValidGlobalShortcut(bad), bad);
  });
});

const status = (over: Partial<SyncStatusView>): SyncStatusView => ({
  accountId: 'a',
  connection: 'up_to_date',
  pending: 0,
  rejected: 0,
  lastSyncedAt: null,
  lastError: null,
  initialSync: null,
  ...over,
});

describe('tray menu model', () => {
  it('has Quick note, Open, a sync status line, Pause/Resume sync and Quit', () => {
    const model = trayMenuModel({
      sync: [status({})],
      paused: false,
      shortcut: 'CommandOrControl+Shift+Space',
    });
    const labels = model.map((i) => (i.type === 'separator' ? '—' : i.label));
    assert.deepEqual(labels, [
      'Quick note',
      'Open Hoody Notes',
      '—',
      'Up to date',
      'Pause sync',
      '—',
      'Quit Hoody Notes',
    ]);
    const quick = model[0];
    assert.ok(quick?.type === 'normal' && quick.accelerator === 'CommandOrControl+Shift+Space');
    const line = model[3];
    assert.ok(line?.type === 'normal' && line.enabled === false, 'the status line is not clickable');
    const paused = trayMenuModel({ sync: [status({ pending: 3 })], paused: true, shortcut: null });
    assert.ok(paused.some((i) => i.type === 'normal' && i.id === 'resumeSync'));
    assert.ok(!paused.some((i) => i.type === 'normal' && i.id === 'pauseSync'));
    const local = trayMenuModel({ sync: [], paused: false, shortcut: null });
    assert.ok(!local.some((i) => i.type === 'normal' && (i.id === 'pauseSync' || i.id === 'resumeSync')));
  });

  it('says how safe the notes are', () => {
    assert.equal(syncStatusLine({ sync: [], paused: false }), 'Notes are kept on this device');
    assert.equal(
      syncStatusLine({ sync: [status({ pending: 1 })], paused: true }),
      'Sync paused — 1 change waiting',
    );
    assert.equal(
      syncStatusLine({ sync: [status({ connection: 'offline', pending: 2 })], paused: false }),
      'Offline — 2 changes waiting',
    );
    assert.equal(
      syncStatusLine({ sync: [status({ rejected: 1 })], paused: false }),
      'Sync needs attention: 1 change refused',
    );
    assert.equal(
      syncStatusLine({ sync: [status({ connection: 'syncing', pending: 4 })], paused: false }),
      'Syncing — 4 changes waiting',
    );
    assert.equal(syncStatusLine({ sync: [status({})], paused: false }), 'Up to date');
  });
});

describe('application menu model', () => {
  const commandsIn = (items: MenuItemModel[]) =>
    items.flatMap((i) => (i.kind === 'command' ? [i.commandId] : []));
  const rolesIn = (items: MenuItemModel[]) => items.flatMap((i) => (i.kind === 'role' ? [i.role] : []));

  for (const platform of ['darwin', 'win32', 'linux'] as const) {
    it(`${platform}: File/Edit/View/Window/Help with standard roles and every menu command once`, () => {
      const menus = applicationMenuModel({
        platform,
        appName: 'Hoody Notes',
        devTools: false,
        helpUrl: 'https://example.com',
      });
      const labels = menus.map((m) => m.label);
      assert.deepEqual(labels, [
        ...(platform === 'darwin' ? ['Hoody Notes'] : []),
        'File',
        'Edit',
        'View',
        'Window',
        'Help',
      ]);
      const byLabel = new Map(menus.map((m) => [m.label, m.items]));
      for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'] as const)
        assert.ok(rolesIn(byLabel.get('Edit') ?? []).includes(role), role);
      assert.ok(rolesIn(byLabel.get('Window') ?? []).includes('minimize'));
      const all = menus.flatMap((m) => m.items);
      assert.ok(rolesIn(all).includes('quit'), 'Quit is in the menu');
      assert.ok(!rolesIn(all).includes('toggleDevTools'), 'no dev tools in a packaged build');
      const ids = commandsIn(all);
      assert.deepEqual(
        [...ids].sort(),
        COMMANDS.filter((c) => c.menu)
          .map((c) => c.id)
          .sort(),
      );
      const newPage = all.find((i) => i.kind === 'command' && i.commandId === 'page.new');
      assert.deepEqual(newPage, {
        kind: 'command',
        commandId: 'page.new',
        label: 'New page',
        accelerator: 'CmdOrCtrl+Alt+N',
        registerAccelerator: false,
      });
    });
  }
});

describe('deep links', () => {
  it('opens nodes from hoody-notes://open/node/<id> and hoody-notes://node/<id>', () => {
    assert.deepEqual(parseDeepLink('hoody-notes://open/node/nd_01ABCdef-_9'), {
      kind: 'node',
      nodeId: 'nd_01ABCdef-_9',
    });
    assert.deepEqual(parseDeepLink('hoody-notes://node/abc'), { kind: 'node', nodeId: 'abc' });
    assert.deepEqual(parseDeepLink('hoody-notes://work/node/abc'), { kind: 'node', nodeId: 'abc' });
    assert.deepEqual(deepLinkFromArgv(['/usr/bin/hoody-notes', '--flag', 'hoody-notes://open/node/x1']), {
      kind: 'node',
      nodeId: 'x1',
    });
    assert.equal(deepLinkFromArgv(['/usr/bin/hoody-notes', 'hoody-notes://evil/../node/x']), null);
  });

  it('opens pages by alias from hoody-notes://open/alias/<alias>, only well-formed aliases', () => {
    assert.deepEqual(parseDeepLink('hoody-notes://open/alias/q4-plan'), { kind: 'alias', alias: 'q4-plan' });
    assert.deepEqual(parseDeepLink('hoody-notes://alias/onboarding'), { kind: 'alias', alias: 'onboarding' });
    for (const bad of ['Q4', 'a--b', '-a', 'a-', 'a_b', 'caf\u00e9', 'a'.repeat(129), '', 'a/b'])
      assert.equal(parseDeepLink(`hoody-notes://open/alias/${bad}`), null, bad);
  });

  it('refuses hostile and malformed links', () => {
    const hostile = [
      '',
      'hoody-notes:',
      'hoody-notes://',
      'hoody-notes://open',
      'hoody-notes://open/node',
      'hoody-notes://open/node/',
      'hoody-notes://open/node/a/b',
      'hoody-notes://open/page/a',
      'hoody-notes://open/node/a?x=1',
      'hoody-notes://open/node/a#frag',
      'hoody-notes://user:pw@open/node/a',
      'hoody-notes://user@open/node/a',
      'hoody-notes://open:8080/node/a',
      'hoody-notes://open/node/..',
      'hoody-notes://open/node/../../etc/passwd',
      'hoody-notes://open/node/%2e%2e',
      'hoody-notes://open/node/a%2Fb',
      'hoody-notes://open/node/a\\b',
      'hoody-notes://open\\node\\a',
      'hoody-notes://open/node/a b',
      'hoody-notes://open/node/a\u0000',
      'hoody-notes://open/node/a\n',
      'hoody-notes://open/node/<script>',
      'hoody-notes://open/node/javascript:alert(1)',
      `hoody-notes://open/node/${'a'.repeat(65)}`,
      `hoody-notes://open/node/${'a'.repeat(600)}`,
      'hoody-notes://OPEN/node/a',
      'hoody-notes://ex ample/node/a',
      'hoody-notes://xn--80ak6aa92e.com/node/a',
      'hoody-notes://a.b/node/a',
      'HOODY-NOTES://open/node/a'.replace('HOODY', 'hoody-x'),
      'hoody-notes-evil://open/node/a',
      'javascript:alert(1)//hoody-notes://open/node/a',
      'file:///etc/passwd',
      'https://hoody.example/node/a',
      'app://hoody/node/a',
      'data:text/html,<script>alert(1)</script>',
      'hoody-notes://open/node/a\u202e',
      'hoody-notes://open/node/ａ',
      'hoody-notes:///node/a/../b',
      ' hoody-notes://open/node/a',
    ];
    for (const link of hostile) assert.equal(parseDeepLink(link), null, JSON.stringify(link));
    for (const value of [null, undefined, 42, {}, ['hoody-notes://open/node/a']])
      assert.equal(parseDeepLink(value), null);
    assert.ok(hostile.length >= 40);
  });
});

describe('window state', () => {
  const primary = { x: 0, y: 0, width: 1920, height: 1040 };
  const right = { x: 1920, y: 0, width: 1280, height: 1000 };

  it('restores a window that is still on a display', () => {
    const saved = { x: 2000, y: 100, width: 1000, height: 700, maximized: false };
    assert.deepEqual(restoreWindowState(saved, [primary, right]), saved);
    assert.deepEqual(restoreWindowState({ ...saved, maximized: true }, [primary, right]).maximized, true);
  });

  it('centres a window whose display is gone, and shrinks one larger than the display', () => {
    const onUnplugged = { x: 2000, y: 100, width: 1000, height: 700, maximized: false };
    assert.deepEqual(restoreWindowState(onUnplugged, [primary]), {
      x: 460,
      y: 170,
      width: 1000,
      height: 700,
      maximized: false,
    });
    const huge = restoreWindowState({ x: 0, y: 0, width: 5000, height: 4000, maximized: false }, [primary]);
    assert.deepEqual(huge, { x: 0, y: 0, width: 1920, height: 1040, maximized: false });
    const above = restoreWindowState({ x: 100, y: -500, width: 800, height: 600, maximized: false }, [
      primary,
    ]);
    assert.ok(above.y >= 0 && above.x >= 0, 'title bar back on screen');
    const hanging = restoreWindowState({ x: 1800, y: 900, width: 800, height: 600, maximized: false }, [
      primary,
    ]);
    assert.deepEqual(hanging, { x: 1120, y: 440, width: 800, height: 600, maximized: false });
  });

  it('uses defaults for a missing or corrupt state file', () => {
    for (const raw of [
      null,
      'x',
      {},
      { x: 1, y: 2, width: -5, height: 10 },
      { x: 1.5, y: 2, width: 5, height: 10 },
      { x: 1e9, y: 0, width: 5, height: 5 },
    ])
      assert.equal(parseWindowState(raw), null, JSON.stringify(raw));
    assert.deepEqual(restoreWindowState(null, [primary]), {
      x: 360,
      y: 120,
      width: 1200,
      height: 800,
      maximized: false,
    });
    assert.deepEqual(restoreWindowState(null, []).width, 1200);
  });
});

describe('window factories', () => {
  it('main and capture windows carry exactly the secure webPreferences', () => {
    const state = restoreWindowState(null, [{ x: 0, y: 0, width: 1920, height: 1080 }]);
    const main = mainWindowOptions('/p/preload.cjs', state);
    const capture = captureWindowOptions('/p/preload.cjs');
    for (const options of [main, capture]) {
      assert.deepEqual(options.webPreferences, secureWebPreferences('/p/preload.cjs'));
      assert.equal(options.webPreferences.contextIsolation, true);
      assert.equal(options.webPreferences.sandbox, true);
      assert.equal(options.webPreferences.nodeIntegration, false);
      assert.equal(options.webPreferences.webSecurity, true);
      assert.equal(options.show, false);
    }
    assert.equal(capture.alwaysOnTop, true);
    assert.ok(capture.width <= 640 && capture.height <= 480, 'the capture window is small');
    assert.ok(isAppUrl(CAPTURE_URL) && isTrustedSender(CAPTURE_URL, true), 'the capture route may call IPC');
  });

  it('the deep-link scheme is the one the installers register', () => {
    assert.deepEqual(config.protocols, [{ name: 'Hoody Notes link', schemes: ['hoody-notes'] }]);
    assert.deepEqual(parseDeepLink('hoody-notes://open/node/a'), { kind: 'node', nodeId: 'a' });
  });
});

describe('updates (electron-updater) model', () => {
  it('takes the feed from HOODY_UPDATE_FEED_URL: https, or http on loopback, nothing else', () => {
    assert.equal(updateFeed({}), null);
    assert.equal(
      updateFeed({ HOODY_UPDATE_FEED_URL: 'https://updates.example.com/hoody/' }),
      'https://updates.example.com/hoody/',
    );
    assert.equal(
      updateFeed({ HOODY_UPDATE_FEED_URL: 'http://127.0.0.1:8080/feed' }),
      'http://127.0.0.1:8080/feed',
    );
    for (const bad of [
      'http://updates.example.com/',
      'file:///tmp/feed',
      'https://u:p@example.com/',
      'javascript:alert(1)',
      'not a url',
      'https://example.com/?x=1',
    ])
      assert.equal(updateFeed({ HOODY_UPDATE_FEED_URL: bad }), null, bad);
  });

  it('folds updater events into one state; a downloaded update offers "Restart to update" in the tray', () => {
    let state: UpdateState = { kind: 'idle' };
    state = nextUpdateState(state, { type: 'checking' });
    state = nextUpdateState(state, { type: 'available', version: '1.2.3' });
    state = nextUpdateState(state, { type: 'progress', percent: 41.6 });
    assert.deepEqual(state, { kind: 'downloading', version: '1.2.3', percent: 42 });
    assert.deepEqual(
      nextUpdateState(state, { type: 'available', version: '<script>' }),
      state,
      'odd versions ignored',
    );
    state = nextUpdateState(state, { type: 'downloaded', version: '1.2.3' });
    assert.deepEqual(state, { kind: 'ready', version: '1.2.3' });
    assert.deepEqual(
      nextUpdateState(state, { type: 'error', message: 'x' }),
      state,
      'a ready update stays ready',
    );
    const disabled: UpdateState = { kind: 'disabled', reason: 'development build' };
    assert.equal(nextUpdateState(disabled, { type: 'checking' }), disabled);

    const tray = trayMenuModel({ sync: [], paused: false, shortcut: null, update: state });
    const item = tray.find((i) => i.type === 'normal' && i.id === 'installUpdate');
    assert.deepEqual(item, {
      type: 'normal',
      id: 'installUpdate',
      label: 'Restart to update to 1.2.3',
      enabled: true,
    });
    const downloading = trayMenuModel({
      sync: [],
      paused: false,
      shortcut: null,
      update: { kind: 'downloading', version: '1.2.3', percent: 10 },
    }).find((i) => i.type === 'normal' && i.id === 'installUpdate');
    assert.ok(downloading?.type === 'normal' && !downloading.enabled);
    assert.equal(updateMenuLabel({ kind: 'idle' }), null);
  });
});

describe('global shortcut registration', () => {
  const fake = (taken: ReadonlySet<string>, throws = false) => {
    const registered = new Set<string>();
    return {
      registered,
      register: (accelerator: string) => {
        if (throws) throw new Error('bad accelerator');
        if (taken.has(accelerator)) return false;
        registered.add(accelerator);
        return true;
      },
      unregister: (accelerator: string) => void registered.delete(accelerator),
    };
  };

  it('registers, moves, and clears the shortcut', () => {
    const registry = fake(new Set());
    const failures: string[] = [];
    let now = switchGlobalShortcut(
      registry,
      null,
      DEFAULT_GLOBAL_SHORTCUT,
      () => undefined,
      (a) => failures.push(a),
    );
    assert.equal(now, DEFAULT_GLOBAL_SHORTCUT);
    now = switchGlobalShortcut(
      registry,
      now,
      'Alt+Shift+N',
      () => undefined,
      (a) => failures.push(a),
    );
    assert.deepEqual([...registry.registered], ['Alt+Shift+N'], 'the old one was released');
    now = switchGlobalShortcut(
      registry,
      now,
      null,
      () => undefined,
      (a) => failures.push(a),
    );
    assert.equal(now, null);
    assert.deepEqual([...registry.registered], []);
    assert.deepEqual(failures, []);
  });

  it('reports a shortcut that is taken, invalid or refused — never ignores it', () => {
    const failures: string[] = [];
    const taken = fake(new Set([DEFAULT_GLOBAL_SHORTCUT]));
    assert.equal(
      switchGlobalShortcut(
        taken,
        null,
        DEFAULT_GLOBAL_SHORTCUT,
        () => undefined,
        (a) => failures.push(a),
      ),
      null,
    );
    assert.equal(
      switchGlobalShortcut(
        taken,
        null,
        'N',
        () => undefined,
        (a) => failures.push(a),
      ),
      null,
    );
    assert.equal(
      switchGlobalShortcut(
        fake(new Set(), true),
        null,
        'Alt+Shift+N',
        () => undefined,
        (a) => failures.push(a),
      ),
      null,
    );
    assert.deepEqual(failures, [DEFAULT_GLOBAL_SHORTCUT, 'N', 'Alt+Shift+N']);
  });
});

describe('palette fuzzy filter and capture draft (renderer logic)', () => {
  it('matches in order, prefers word starts and prefixes', () => {
    assert.equal(fuzzyScore('npg', 'New page') !== null, true);
    assert.equal(fuzzyScore('gpn', 'New page'), null);
    const items = ['Open trash', 'New page', 'New section', 'Toggle dark theme'];
    assert.deepEqual(
      fuzzyFilter('new', items, (i) => [i]),
      ['New page', 'New section'],
    );
    assert.equal(fuzzyFilter('np', items, (i) => [i])[0], 'New page');
    assert.equal(fuzzyFilter('dark', items, (i) => [i])[0], 'Toggle dark theme');
    assert.deepEqual(
      fuzzyFilter('', items, (i) => [i]),
      items,
    );
  });

  it('drafts survive junk in storage; destinations parse strictly', () => {
    const storage = (value: string | null) => ({ getItem: () => value });
    assert.deepEqual(loadDraft(storage(null)), EMPTY_DRAFT);
    assert.deepEqual(loadDraft(storage('{not json')), EMPTY_DRAFT);
    assert.deepEqual(loadDraft(storage('{"title":5,"body":{"type":"x"},"destination":[]}')), EMPTY_DRAFT);
    assert.deepEqual(loadDraft(storage('{"title":"t","body":null,"destination":"inbox:nb_1"}')), {
      title: 't',
      body: null,
      destination: 'inbox:nb_1',
    });
    assert.deepEqual(parseDestination('inbox:nb_1'), { kind: 'inbox', notebookId: 'nb_1' });
    assert.deepEqual(parseDestination('page:nd_2'), { kind: 'page', nodeId: 'nd_2' });
    for (const bad of [null, '', 'inbox:', 'trash:nb', 'page:a/b', 'inbox:nb_1 ', `page:${'x'.repeat(65)}`])
      assert.equal(parseDestination(bad), null, String(bad));
  });
});
