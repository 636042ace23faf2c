/**
 * The reconnecting event subscription shared by the Fabric and Ethereum adapters: a source opened from the last
 * checkpoint, reopened with exponential backoff when it fails or ends, every failure reported, each item delivered
 * once (the caller's `deliver` advances the checkpoint the next `open` resumes from).
 * @module
 */
import { InputError } from '@privkit/core';
import { LedgerError, type LedgerFormatError, _isLedgerError } from './errors.js';
import { retrySchedule, type SubscribeOptions } from './adapter.js';

/** An event source opened from the current checkpoint. */
export interface EventSource<T> extends AsyncIterable<T> {
  close(): void;
}

const STABLE_MS = 10_000;

/**
 * Opens the first source (failing loudly if it cannot), then runs in the background until the returned function
 * is called or reconnection gives up.
 * @param open - opens a source that starts after the last delivered item
 * @param deliver - handles one item (and records it as the checkpoint); a throw is reported, not fatal
 * @param mapError - turns a transport failure into a {@link LedgerError}
 */
export async function subscribeWithRetry<T>(
  open: () => Promise<EventSource<T>>,
  deliver: (item: T) => void,
  mapError: (e: unknown) => LedgerError | LedgerFormatError,
  options: SubscribeOptions = {},
): Promise<() => void> {
  const schedule = retrySchedule(options);
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new InputError('"onError" expected a function', { code: 'INVALID_TYPE' });
  const report = (e: unknown) => {
    try {
      options.onError?.(e);
    } catch {
      // an error callback that throws must not stop the subscription
    }
  };
  let closed = false;
  let wake: (() => void) | undefined;
  let source: EventSource<T>;
  try {
    source = await open();
  } catch (e) {
    throw mapError(e);
  }
  void (async () => {
    let failures = 0;
    for (;;) {
      const openedAt = Date.now();
      try {
        for await (const item of source) {
          if (closed) return;
          failures = 0;
          try {
            deliver(item);
          } catch (e) {
            report(e);
          }
        }
        if (closed) return;
        throw new LedgerError('the event stream ended', { code: 'LEDGER_UNAVAILABLE' });
      } catch (e) {
        if (closed) return;
        report(_isLedgerError(e) ? e : mapError(e));
      }
      if (Date.now() - openedAt > STABLE_MS) failures = 0; // a long-lived connection dropped: start the backoff afresh
      // Reconnect with backoff, resuming after the last delivered item.
      for (;;) {
        if (++failures > schedule.maxAttempts) {
          report(new LedgerError(`subscribe: gave up after ${schedule.maxAttempts} reconnection attempts`, { code: 'LEDGER_UNAVAILABLE' }));
          return;
        }
        await new Promise<void>((r) => {
          const t = setTimeout(r, schedule.delay(failures - 1));
          wake = () => {
            clearTimeout(t);
            r();
          };
        });
        wake = undefined;
        if (closed) return;
        try {
          source = await open();
          break;
        } catch (e) {
          if (closed) return;
          report(mapError(e));
        }
      }
    }
  })();
  return () => {
    if (closed) return;
    closed = true;
    source.close();
    wake?.();
  };
}
