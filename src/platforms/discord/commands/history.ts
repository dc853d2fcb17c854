import { HISTORY_SIZE } from '../../../conversation/index.js';
import { privateQuestion } from './private-question.js';

export default privateQuestion(
  'history',
  `Your last ${HISTORY_SIZE} generations, with links to the images`,
  'history',
);
