import { NodeViewWrapper, type ReactNodeViewProps } from '@tiptap/react';
import { useState } from 'react';
import { fileBlockAttrs, formatFileSize, imageBlockAttrs } from '../../../shared/editor/file-blocks';
import { INLINE_IMAGE_TYPES } from '../../../shared/model/file-types';
import type { FileContext } from './file-context';
import { percentDone, timeLeft } from './transfer-text';
import { useFileBytes } from './use-file-bytes';
import { useFile, type FileStatus } from './use-file';

/** The TipTap node view props plus the page's file context (from the extension's options). */
type Props = ReactNodeViewProps & { extension: { options: { context: FileContext | null } } };

const MAX_RELOADS = 2;

/** The bytes' address again, told apart from a load that failed (the browser would not ask a second time). */
const withReload = (url: string, reloads: number): string =>
  reloads === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}reload=${reloads}`;

/** Upload progress, a failure with Retry, pause/resume: what a block says about its file's transfer. */
function TransferLine({ ctx, status, name }: { ctx: FileContext; status: FileStatus; name: string }) {
  const { file, bytesPerSecond } = status;
  if (!file) return null;
  const act = (name: 'file.resume' | 'file.pause') =>
    void ctx.api.invoke(name, { accountId: ctx.accountId, fileId: file.id });
  if (file.state === 'failed')
    return (
      <div className="file-transfer file-transfer-failed" role="alert">
        <span>
          {name} was not uploaded: {file.error ?? 'unknown reason'}
        </span>
        <button type="button" className="file-action" onClick={() => act('file.resume')}>
          Retry
        </button>
      </div>
    );
  if (file.state === 'paused')
    return (
      <div className="file-transfer">
        <span>Upload paused at {percentDone(file.uploadedBytes, file.size)}%</span>
        <button type="button" className="file-action" onClick={() => act('file.resume')}>
          Resume
        </button>
      </div>
    );
  if (file.state !== 'uploading') return null;
  const done = percentDone(file.uploadedBytes, file.size);
  const remaining = timeLeft(file.size, file.uploadedBytes, bytesPerSecond);
  const left = remaining ? `, ${remaining}` : '';
  return (
    <div className="file-transfer">
      <progress max={100} value={done} aria-label={`Uploading ${name}`} />
      <span aria-live="polite">
        Saved here · uploading {done}%{bytesPerSecond ? ` (${formatFileSize(bytesPerSecond)}/s${left})` : ''}
      </span>
      <button type="button" className="file-action" onClick={() => act('file.pause')}>
        Pause
      </button>
    </div>
  );
}

/** An image block: the picture from the local cache (fetched on demand), alt text and caption, its upload. */
export function ImageBlockView(props: Props) {
  const ctx = props.extension.options.context;
  const attrs = imageBlockAttrs(props.node.attrs);
  const status = useFile(ctx as FileContext, ctx ? attrs.fileId : null);
  // Loads of the shown bytes that failed (evicted in between, say): each asks the core again, twice at most.
  const [reloads, setReloads] = useState(0);
  const editable = props.editor.isEditable;
  const label = attrs.alt || attrs.name || 'Image';
  const showable = attrs.fileId !== null && ctx !== null && INLINE_IMAGE_TYPES.has(attrs.mimeType);
  const bytes = useFileBytes(showable ? ctx : null, attrs, reloads);
  const broken = reloads > MAX_RELOADS;
  return (
    <NodeViewWrapper
      as="figure"
      className={`image-block${props.selected ? ' is-selected' : ''}`}
      data-type="image"
      data-file-id={attrs.fileId ?? undefined}
    >
      {showable && !broken && bytes.state === 'ready' ? (
        <img
          src={withReload(ctx.url(attrs.fileId ?? ''), reloads)}
          alt={attrs.alt}
          draggable={false}
          className={attrs.width ? `image-width-${attrs.width > 480 ? 'wide' : 'narrow'}` : undefined}
          onError={() => setReloads((n) => n + 1)}
        />
      ) : (
        <div className="image-missing" role="img" aria-label={label}>
          {broken
            ? `${label} could not be loaded`
            : bytes.state === 'waiting'
              ? `${label} is not on this device yet. ${bytes.reason}. Trying again in ${Math.round(bytes.retryInMs / 1_000)} s.`
              : label}
        </div>
      )}
      {ctx ? <TransferLine ctx={ctx} status={status} name={attrs.name || 'The image'} /> : null}
      {editable ? (
        <div className="image-fields" contentEditable={false}>
          <input
            aria-label="Caption"
            placeholder="Add a caption"
            defaultValue={attrs.caption}
            onBlur={(event) => {
              if (event.currentTarget.value !== attrs.caption)
                props.updateAttributes({ caption: event.currentTarget.value });
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') event.currentTarget.blur();
            }}
          />
          <input
            aria-label="Alt text"
            placeholder="Describe the image (alt text)"
            defaultValue={attrs.alt}
            onBlur={(event) => {
              if (event.currentTarget.value !== attrs.alt)
                props.updateAttributes({ alt: event.currentTarget.value });
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') event.currentTarget.blur();
            }}
          />
        </div>
      ) : attrs.caption ? (
        <figcaption>{attrs.caption}</figcaption>
      ) : null}
    </NodeViewWrapper>
  );
}

/** A file block: name, size and type, Open (download on demand, saved by the browser), its upload. */
export function FileAttachmentView(props: Props) {
  const ctx = props.extension.options.context;
  const attrs = fileBlockAttrs(props.node.attrs);
  const status = useFile(ctx as FileContext, ctx ? attrs.fileId : null);
  const name = attrs.name || 'File';
  const extension = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toUpperCase() ?? 'FILE';
  return (
    <NodeViewWrapper
      className={`file-block${props.selected ? ' is-selected' : ''}`}
      data-type="file"
      data-file-id={attrs.fileId ?? undefined}
    >
      <span className="file-block-icon" aria-hidden="true">
        {extension}
      </span>
      <span className="file-block-name">{name}</span>
      <span className="file-block-size">{formatFileSize(attrs.size)}</span>
      {attrs.fileId && ctx ? (
        <a className="file-action" href={ctx.url(attrs.fileId)} download={name} aria-label={`Open ${name}`}>
          Open
        </a>
      ) : null}
      {ctx ? <TransferLine ctx={ctx} status={status} name={name} /> : null}
    </NodeViewWrapper>
  );
}
