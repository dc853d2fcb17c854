import { privateQuestion } from './private-question.js';

export default privateQuestion(
  'quota',
  'Your image credits left today, when they reset, and what is generating now',
  'quota',
);
