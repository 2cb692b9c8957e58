/**
 * Where a JSON text (RFC 8259) first breaks the grammar, found without
 * quoting the text. Messages about a broken config or credentials file name
 * a line and column instead of repeating content: Node's own JSON.parse
 * message quotes the text (`Unexpected token 'h', "{"password":hunter2}" is
 * not valid JSON`), which may hold a password. Pure and linear, with an
 * explicit stack (no recursion), so any input is safe.
 */

/** The offset of the first character that breaks the grammar; `text.length` when the text ends too early; `undefined` when it is valid JSON. */
export function findJsonSyntaxError(text: string): number | undefined {
  const stack: string[] = [];
  // "value": a value must come; "key": a member name; "first-key": a name or "}";
  // "first-value": a value or "]"; "after": the value is complete.
  let expect: "value" | "key" | "first-key" | "first-value" | "after" = "value";
  let i = 0;
  for (;;) {
    i = skipWhitespace(text, i);
    if (expect === "after") {
      const open = stack[stack.length - 1];
      if (open === undefined) return i === text.length ? undefined : i;
      if (i >= text.length) return text.length;
      const c = text[i];
      i++;
      if (c === ",") expect = open === "{" ? "key" : "value";
      else if ((c === "}" && open === "{") || (c === "]" && open === "[")) stack.pop();
      else return i - 1;
      continue;
    }
    if (i >= text.length) return text.length;
    const c = text[i];
    if (expect === "key" || expect === "first-key") {
      if (expect === "first-key" && c === "}") {
        stack.pop();
        i++;
        expect = "after";
        continue;
      }
      if (c !== '"') return i;
      const end = scanString(text, i);
      if (end.error) return end.at;
      i = skipWhitespace(text, end.at);
      if (i >= text.length) return text.length;
      if (text[i] !== ":") return i;
      i++;
      expect = "value";
      continue;
    }
    if (expect === "first-value" && c === "]") {
      stack.pop();
      i++;
      expect = "after";
      continue;
    }
    if (c === "{" || c === "[") {
      stack.push(c);
      i++;
      expect = c === "{" ? "first-key" : "first-value";
      continue;
    }
    const end = c === '"' ? scanString(text, i) : c === "-" || isDigit(c) ? scanNumber(text, i) : scanLiteral(text, i);
    if (end.error) return end.at;
    i = end.at;
    expect = "after";
  }
}

/**
 * "line 3, column 7", or "it ends too early", for a text JSON.parse refused;
 * undefined when the text is valid JSON after all.
 */
export function describeJsonSyntaxError(text: string): string | undefined {
  const at = findJsonSyntaxError(text);
  if (at === undefined) return undefined;
  if (at >= text.length) return "it ends too early";
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${at - lineStart + 1}`;
}

type Scan = { readonly error: false; readonly at: number } | { readonly error: true; readonly at: number };

function skipWhitespace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/** A string starting at the quote at `start` (RFC 8259 §7). */
function scanString(text: string, start: number): Scan {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return { error: false, at: i + 1 };
    if (c.charCodeAt(0) < 0x20) return { error: true, at: i };
    if (c === "\\") {
      const escaped = text[i + 1];
      if (escaped === undefined) return { error: true, at: text.length };
      if (escaped === "u") {
        for (let k = 2; k < 6; k++) {
          if (i + k >= text.length) return { error: true, at: text.length };
          if (!isHex(text[i + k])) return { error: true, at: i + k };
        }
        i += 6;
        continue;
      }
      if (!'"\\/bfnrt'.includes(escaped)) return { error: true, at: i + 1 };
      i += 2;
      continue;
    }
    i++;
  }
  return { error: true, at: text.length };
}

/** A number (RFC 8259 §6): `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. */
function scanNumber(text: string, start: number): Scan {
  let i = start;
  if (text[i] === "-") i++;
  if (i >= text.length) return { error: true, at: text.length };
  if (text[i] === "0") i++;
  else if (isDigit(text[i])) while (isDigit(text[i])) i++;
  else return { error: true, at: i };
  if (text[i] === ".") {
    i++;
    if (i >= text.length) return { error: true, at: text.length };
    if (!isDigit(text[i])) return { error: true, at: i };
    while (isDigit(text[i])) i++;
  }
  if (text[i] === "e" || text[i] === "E") {
    i++;
    if (text[i] === "+" || text[i] === "-") i++;
    if (i >= text.length) return { error: true, at: text.length };
    if (!isDigit(text[i])) return { error: true, at: i };
    while (isDigit(text[i])) i++;
  }
  return { error: false, at: i };
}

function scanLiteral(text: string, start: number): Scan {
  for (const literal of ["true", "false", "null"]) {
    if (literal[0] !== text[start]) continue;
    for (let k = 1; k < literal.length; k++) {
      if (start + k >= text.length) return { error: true, at: text.length };
      if (text[start + k] !== literal[k]) return { error: true, at: start + k };
    }
    return { error: false, at: start + literal.length };
  }
  return { error: true, at: start };
}
