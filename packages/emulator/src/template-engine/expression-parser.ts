// Parses ARM template expressions ("[concat('a', parameters('b'))]") into a small syntax tree.

import { ExpressionSyntaxError, expressionReasons } from "./errors.ts";

export type ExpressionNode =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "call"; name: string; namespace?: string; args: ExpressionNode[] }
  | { kind: "property"; target: ExpressionNode; name: string }
  | { kind: "index"; target: ExpressionNode; index: ExpressionNode };

/** A JSON string of a template is either literal text or an expression to evaluate. */
export type TemplateString =
  | { kind: "literal"; text: string }
  | { kind: "expression"; source: string; root: ExpressionNode };

/**
 * Reads one JSON string of a template. Per the ARM docs ("Template syntax: escape characters"),
 * "[...]" is an expression and a string that starts with "[[" and ends with "]" is literal text
 * with the first bracket removed.
 */
export function parseTemplateString(text: string): TemplateString {
  if (!(text.startsWith("[") && text.endsWith("]"))) return { kind: "literal", text };
  if (text.startsWith("[[")) return { kind: "literal", text: text.slice(1) };
  const source = text.slice(1, -1);
  return { kind: "expression", source, root: parseExpression(source) };
}

export function isExpression(text: string): boolean {
  return text.startsWith("[") && text.endsWith("]") && !text.startsWith("[[");
}

type TokenKind =
  | "Identifier"
  | "String"
  | "Integer"
  | "LeftParenthesis"
  | "RightParenthesis"
  | "LeftSquareBracket"
  | "RightSquareBracket"
  | "Comma"
  | "Dot"
  | "EndOfData";

interface Token {
  kind: TokenKind;
  text: string;
  position: number;
}

const PUNCTUATION: Record<string, TokenKind> = {
  "(": "LeftParenthesis",
  ")": "RightParenthesis",
  "[": "LeftSquareBracket",
  "]": "RightSquareBracket",
  ",": "Comma",
  ".": "Dot",
};

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i] as string;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const punctuation = PUNCTUATION[char];
    if (punctuation !== undefined) {
      tokens.push({ kind: punctuation, text: char, position: i });
      i++;
      continue;
    }
    if (char === "'") {
      // A quote inside a string literal is written twice ('it''s').
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= source.length)
          throw new ExpressionSyntaxError(expressionReasons.unexpectedToken(source, "String", "EndOfData"));
        if (source[j] === "'") {
          if (source[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += source[j];
        j++;
      }
      tokens.push({ kind: "String", text: value, position: i });
      i = j + 1;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(source.slice(i));
    if (number !== null) {
      tokens.push({ kind: "Integer", text: number[0], position: i });
      i += number[0].length;
      continue;
    }
    const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(i));
    if (identifier !== null) {
      tokens.push({ kind: "Identifier", text: identifier[0], position: i });
      i += identifier[0].length;
      continue;
    }
    throw new ExpressionSyntaxError(expressionReasons.unexpectedCharacter(source, char, i));
  }
  tokens.push({ kind: "EndOfData", text: "", position: source.length });
  return tokens;
}

/** Parses the inside of "[...]" (without the brackets). */
export function parseExpression(source: string): ExpressionNode {
  const tokens = tokenize(source);
  let at = 0;
  const peek = (): Token => tokens[at] as Token;
  const expect = (kind: TokenKind): Token => {
    const token = peek();
    if (token.kind !== kind)
      throw new ExpressionSyntaxError(expressionReasons.unexpectedToken(source, kind, token.kind));
    at++;
    return token;
  };

  const parsePrimary = (): ExpressionNode => {
    const token = peek();
    if (token.kind === "String") {
      at++;
      return { kind: "string", value: token.text };
    }
    if (token.kind === "Integer") {
      at++;
      return { kind: "number", value: Number(token.text) };
    }
    if (token.kind === "Identifier") {
      at++;
      let name = token.text;
      let namespace: string | undefined;
      // A user-defined function is called as namespace.name(...).
      if (
        peek().kind === "Dot" &&
        tokens[at + 1]?.kind === "Identifier" &&
        tokens[at + 2]?.kind === "LeftParenthesis"
      ) {
        at++;
        namespace = name;
        name = expect("Identifier").text;
      }
      expect("LeftParenthesis");
      const args: ExpressionNode[] = [];
      if (peek().kind !== "RightParenthesis") {
        args.push(parseAccess());
        while (peek().kind === "Comma") {
          at++;
          args.push(parseAccess());
        }
      }
      expect("RightParenthesis");
      return namespace === undefined ? { kind: "call", name, args } : { kind: "call", name, namespace, args };
    }
    throw new ExpressionSyntaxError(expressionReasons.unexpectedToken(source, "Identifier", token.kind));
  };

  const parseAccess = (): ExpressionNode => {
    let node = parsePrimary();
    for (;;) {
      const token = peek();
      if (token.kind === "Dot") {
        at++;
        node = { kind: "property", target: node, name: expect("Identifier").text };
      } else if (token.kind === "LeftSquareBracket") {
        at++;
        const index = parseAccess();
        expect("RightSquareBracket");
        node = { kind: "index", target: node, index };
      } else {
        return node;
      }
    }
  };

  const root = parseAccess();
  expect("EndOfData");
  return root;
}
