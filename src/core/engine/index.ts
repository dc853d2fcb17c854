export { ShutdownError, type JobDispatcher } from './dispatcher.js';
export { LocalDispatcher } from './local-dispatcher.js';
