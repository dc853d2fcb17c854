export { LocalSlotLine, type SlotLine } from './slot-line.js';
