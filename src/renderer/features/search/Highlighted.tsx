import type { TextPiece } from '../../../shared/search/terms';

/** Text with what a search matched in <mark> (pieces from main: never HTML). */
export function Highlighted({ pieces, className }: { pieces: readonly TextPiece[]; className?: string }) {
  return (
    <span className={className}>
      {pieces.map((piece, index) =>
        piece.match ? <mark key={index}>{piece.text}</mark> : <span key={index}>{piece.text}</span>,
      )}
    </span>
  );
}
