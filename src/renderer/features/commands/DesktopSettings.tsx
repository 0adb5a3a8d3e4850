import { useState } from 'react';
import { isValidGlobalShortcut } from '../../../shared/commands';
import type { SettingsView } from '../../../shared/contract';
import { useApi } from '../../lib/client';
import { useToasts } from '../../ui/toast';
import { Dialog } from '../../ui/dialog';

/** Desktop-only options: the quick-capture shortcut, start at login, keep running in the tray. */
export function DesktopSettings({ settings, onClose }: { settings: SettingsView; onClose(): void }) {
  const api = useApi();
  const { check } = useToasts();
  const [shortcut, setShortcut] = useState(settings.globalShortcut ?? '');
  const [openAtLogin, setOpenAtLogin] = useState(settings.openAtLogin);
  const [closeToTray, setCloseToTray] = useState(settings.closeToTray);
  const trimmed = shortcut.trim();
  const valid = trimmed === '' || isValidGlobalShortcut(trimmed);
  const checkboxes: [string, boolean, (value: boolean) => void][] = [
    ['Open Hoody Notes when you log in', openAtLogin, setOpenAtLogin],
    ['Keep running in the tray when the window is closed', closeToTray, setCloseToTray],
  ];
  return (
    <Dialog
      title="Desktop settings"
      confirmLabel="Save"
      onClose={onClose}
      onConfirm={() => {
        if (!valid) return;
        void api
          .invoke('settings.update', {
            globalShortcut: trimmed === '' ? null : trimmed,
            openAtLogin,
            closeToTray,
          })
          .then((result) => check(result, 'Saving desktop settings'));
      }}
    >
      <div className="desktop-settings">
        <label className="field">
          Quick note shortcut (works in every app)
          <input
            className="text-input"
            value={shortcut}
            placeholder="None"
            aria-invalid={!valid}
            onChange={(event) => setShortcut(event.target.value)}
          />
          {valid ? (
            <span className="field-hint">
              For example CommandOrControl+Shift+Space. Leave empty for none.
            </span>
          ) : (
            <span className="field-error">Use modifiers and one key, like CommandOrControl+Shift+Space.</span>
          )}
        </label>
        {checkboxes.map(([label, checked, set]) => (
          <label key={label} className="check-field">
            <input type="checkbox" checked={checked} onChange={(event) => set(event.target.checked)} />
            {label}
          </label>
        ))}
      </div>
    </Dialog>
  );
}
