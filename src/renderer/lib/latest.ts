import { useLayoutEffect, useRef } from 'react';

/**
 * A ref that always holds the value of the last committed render, for callbacks that outlive a render
 * (subscriptions, timers, unmount clean-ups) and must call today's version of a prop. Written after commit
 * rather than during render, so a render React throws away never leaks into it.
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
