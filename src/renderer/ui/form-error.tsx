import type { ReactNode } from 'react';
import { Icon } from './icons';

/** A problem shown in a dialog or form, read out at once (role=alert). */
export function FormError({ children }: { children: ReactNode }) {
  return (
    <div className="form-error" role="alert">
      <Icon name="alert" size={14} />
      <span>{children}</span>
    </div>
  );
}
