import { privateQuestion } from './private-question.js';

export default privateQuestion(
  'help',
  'What the bot can do: commands, options, the buttons under an image, and what it costs',
  'help',
);
