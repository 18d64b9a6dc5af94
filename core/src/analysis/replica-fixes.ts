import ts = require('typescript');
import type { FixPlan, TextEdit } from '../types';
import type { DbEvent } from './replicas';
import { skipOuterExpressions } from './text';

/** The one-file edit that sends a replica read to the primary: `db.$primary.select()`, `prisma.$primary().…`, `{ useMaster: true }`, the primary client. */
export function primaryRouteFix(read: DbEvent): Omit<FixPlan, 'message'> | undefined {
  const route = read.primaryRoute;
  if (!route) return undefined;
  const file = read.node.getSourceFile();
  let edit: TextEdit;
  let replacement: string;
  if (route.kind === 'insertAfter') {
    edit = { fileName: file.fileName, start: route.node.getEnd(), end: route.node.getEnd(), newText: route.text };
    replacement = `\`${route.node.getText()}${route.text}\``;
  } else if (route.kind === 'replaceClient') {
    edit = { fileName: file.fileName, start: route.node.getStart(), end: route.node.getEnd(), newText: route.text };
    replacement = `\`${route.text}\``;
  } else {
    const useMaster = useMasterEdit(route.call, route.argumentIndex);
    if (!useMaster) return undefined;
    edit = useMaster;
    replacement = '`useMaster: true`';
  }
  return { messageId: 'readFromPrimary', data: { replacement }, edits: [edit], createFiles: [], dependencies: [] };
}

function useMasterEdit(call: ts.CallExpression, index: number): TextEdit | undefined {
  const fileName = call.getSourceFile().fileName;
  const options = call.arguments[index];
  if (options) {
    const value = skipOuterExpressions(options);
    if (!ts.isObjectLiteralExpression(value)) return undefined;
    if (value.properties.length === 0) return { fileName, start: value.getStart(), end: value.getEnd(), newText: '{ useMaster: true }' };
    const last = value.properties[value.properties.length - 1];
    return { fileName, start: last.getEnd(), end: last.getEnd(), newText: ', useMaster: true' };
  }
  if (call.arguments.length !== index) return undefined;
  const at = index === 0 ? call.arguments.pos : call.arguments[index - 1].getEnd();
  return { fileName, start: at, end: at, newText: index === 0 ? '{ useMaster: true }' : ', { useMaster: true }' };
}
