/**
 * The capture draft lives in localStorage (per origin: the Electron app and each browser-mode core keep their
 * own), so Esc — or a crash — never loses what was typed. Cleared only once the core confirmed the save.
 */
export interface CaptureDraft {
  title: string;
  /** TipTap JSON of the body. */
  body: { type: 'doc'; content: Record<string, unknown>[] } | null;
  /** `inbox:<notebookId>`, `daily:<notebookId>` or `page:<nodeId>`. */
  destination: string | null;
}

const KEY = 'hoody.capture.draft';
export const EMPTY_DRAFT: CaptureDraft = { title: '', body: null, destination: null };

/** The slice of Web Storage used here (typed locally: this module is also tested under Node). */
export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadDraft(storage: Pick<DraftStorage, 'getItem'>): CaptureDraft {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? 'null');
    if (typeof parsed !== 'object' || parsed === null) return EMPTY_DRAFT;
    const raw = parsed as Record<string, unknown>;
    const body = raw.body as CaptureDraft['body'];
    return {
      title: typeof raw.title === 'string' ? raw.title : '',
      body: body && body.type === 'doc' && Array.isArray(body.content) ? body : null,
      destination: typeof raw.destination === 'string' ? raw.destination : null,
    };
  } catch {
    return EMPTY_DRAFT;
  }
}

export function saveDraft(draft: CaptureDraft, storage: Pick<DraftStorage, 'setItem'>): void {
  try {
    storage.setItem(KEY, JSON.stringify(draft));
  } catch {
    // storage full or disabled: the draft is only a convenience
  }
}

/** Keeps the chosen destination for next time, drops the text. */
export const clearedDraft = (draft: CaptureDraft): CaptureDraft => ({
  ...EMPTY_DRAFT,
  destination: draft.destination,
});

export type Destination =
  | { kind: 'inbox'; notebookId: string }
  | { kind: 'daily'; notebookId: string }
  | { kind: 'page'; nodeId: string };

export function parseDestination(value: string | null): Destination | null {
  const match = /^(inbox|daily|page):([A-Za-z0-9_-]{1,64})$/.exec(value ?? '');
  if (!match) return null;
  const [, kind, id] = match as unknown as [string, 'inbox' | 'daily' | 'page', string];
  return kind === 'page' ? { kind, nodeId: id } : { kind, notebookId: id };
}
