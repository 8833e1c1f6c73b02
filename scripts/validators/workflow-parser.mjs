// GitHub's own workflow parser (@actions/workflow-parser, the library behind
// the Actions VS Code extension): parse and convert each workflow file,
// print one line per error, exit 1 when any file has one.
import { readFileSync } from "node:fs";
import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
} from "@actions/workflow-parser";

let errors = 0;
for (const name of process.argv.slice(2)) {
  const content = readFileSync(name, "utf8");
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  if (parsed.value !== undefined) {
    await convertWorkflowTemplate(parsed.context, parsed.value);
  }
  for (const error of parsed.context.errors.getErrors()) {
    console.log(`${name}: ${error.message}`);
    errors += 1;
  }
}
console.log(`workflow-parser: ${process.argv.length - 2} files, ${errors} errors`);
process.exit(errors === 0 ? 0 : 1);
