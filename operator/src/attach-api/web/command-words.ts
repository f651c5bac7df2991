// The command field of the form as words, split as a shell splits a simple command: blanks
// separate words, quotes keep blanks, a backslash keeps the next character (inside double quotes
// too). Anything else a shell does (variables, globs) is the command's own business:
// `sh -c '...'` runs it in the container.

export class CommandSyntaxError extends Error {
  readonly code = 'WEB_ERR_COMMAND_SYNTAX';
}

export function commandWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new CommandSyntaxError('the command ends with a backslash');
      word = (word ?? '') + text[++i];
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) throw new CommandSyntaxError(`the command has an unclosed ${quote}`);
  if (word !== undefined) words.push(word);
  return words;
}
