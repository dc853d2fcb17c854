import { privateQuestion } from './private-question.js';

export default privateQuestion('help', { key: 'discord.command.help' }, 'help');
