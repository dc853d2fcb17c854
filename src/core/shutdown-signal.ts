import { setMaxListeners } from 'node:events';

/**
 * An abort controller whose signal every call in flight listens to, to stop at shutdown. With
 * thousands of jobs waiting on the API budget that is thousands of listeners by design, so Node's
 * leak warning (at 11) would only be noise in the operator's log.
 */
export function unlimitedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
