import { privateQuestion } from './private-question.js';

export default privateQuestion('quota', { key: 'discord.command.quota' }, 'quota');
