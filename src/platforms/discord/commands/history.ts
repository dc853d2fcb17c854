import { HISTORY_SIZE } from '../../../conversation/index.js';
import { privateQuestion } from './private-question.js';

export default privateQuestion(
  'history',
  { key: 'discord.command.history', params: { size: String(HISTORY_SIZE) } },
  'history',
);
