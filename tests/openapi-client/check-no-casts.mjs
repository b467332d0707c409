// Fails when a TypeScript file holds a cast: `x as T` (`as const` too), `<T>x` or a non-null assertion `x!`.
// Reads the syntax tree, so a generic call such as createClient<paths>() is not taken for a cast.
//   node check-no-casts.mjs client.ts
import { readFileSync } from "node:fs";
import ts from "typescript";

const kinds = new Map([
  [ts.SyntaxKind.AsExpression, "an `as` cast"],
  [ts.SyntaxKind.TypeAssertionExpression, "a `<T>` cast"],
  [ts.SyntaxKind.NonNullExpression, "a `!` non-null assertion"],
]);
let found = 0;
for (const file of process.argv.slice(2)) {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    const kind = kinds.get(node.kind);
    if (kind !== undefined) {
      const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
      console.error(`${file}:${line + 1}:${character + 1}: ${kind}: ${node.getText(source)}`);
      found++;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
if (found > 0) {
  console.error(`${found} cast(s): the generated types must be enough`);
  process.exit(1);
}
console.log(`no casts in ${process.argv.slice(2).join(", ")}`);
