import type { Page } from 'playwright-core';

/** Files in a page from the test's side: pasting them as the OS would, and reading the images shown. */

/** Pastes files as Ctrl+V of copied files does: a paste event whose DataTransfer holds them. */
export async function pasteFiles(
  page: Page,
  files: { name: string; type: string; bytes: number[] }[],
): Promise<void> {
  await page.locator('.ProseMirror').evaluate((element, list) => {
    const editor = (element as unknown as { editor: { commands: { focus(where: string): void } } }).editor;
    editor.commands.focus('end');
    // Page-side globals through globalThis: the test typecheck has no DOM lib.
    const g = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      ClipboardEvent: new (type: string, init: object) => unknown;
      File: new (parts: unknown[], name: string, options: object) => unknown;
      Uint8Array: typeof Uint8Array;
    };
    const data = new g.DataTransfer();
    for (const file of list)
      data.items.add(new g.File([new g.Uint8Array(file.bytes)], file.name, { type: file.type }));
    (element as unknown as { dispatchEvent(event: unknown): boolean }).dispatchEvent(
      new g.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, files);
}

/** The images the page shows: where each comes from and whether it decoded. */
export function images(page: Page) {
  return page.locator('.ProseMirror figure[data-type="image"] img').evaluateAll((list) =>
    list.map((img) => {
      const image = img as unknown as {
        getAttribute(name: string): string | null;
        naturalWidth: number;
        complete: boolean;
      };
      return { src: image.getAttribute('src') ?? '', width: image.naturalWidth, complete: image.complete };
    }),
  );
}
