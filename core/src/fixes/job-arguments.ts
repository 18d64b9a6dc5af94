import ts = require('typescript');

/**
 * What a queued job's argument loses on its way to the worker. The queue copies the arguments with
 * v8's serializer: data, Dates, Maps, Sets, Buffers and Errors arrive as they were sent; a function
 * cannot be copied (the enqueue throws, and the request with it), and an object made by a class
 * arrives as its own fields alone, without the methods and getters its class gives it. An ORM's
 * record is such an object: a Sequelize instance arrives as `{ dataValues, … }` and a Mongoose
 * document as `{ $__, _doc }`, so `user.email` is `undefined` in the worker, and the job mails no one.
 *
 * Says what is lost (`a \`User\`, whose methods and getters (\`save\`) …`), or `undefined` when the
 * argument's type is data, or unknown (`any`: nothing to go by).
 */
export function lostInQueue(argument: ts.Expression, checker: ts.TypeChecker): string | undefined {
  return lostIn(checker.getTypeAtLocation(argument), checker, 0, new Set());
}

/** Built-in objects the serializer copies whole (`Buffer` is a `Uint8Array` Node copies as a Buffer). */
const COPIED_WHOLE = new Set(['Date', 'RegExp', 'Map', 'Set', 'ReadonlyMap', 'ReadonlySet', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Buffer', 'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError']);

const FUNCTION = 'a function, which the queue cannot copy';

function lostIn(type: ts.Type, checker: ts.TypeChecker, depth: number, seen: Set<ts.Type>): string | undefined {
  if (depth > 3 || seen.has(type)) return undefined;
  seen.add(type);
  if (type.isUnion()) {
    for (const member of type.types) {
      const lost = lostIn(member, checker, depth, seen);
      if (lost) return lost;
    }
    return undefined;
  }
  if (!(type.flags & ts.TypeFlags.Object) && !type.isIntersection()) return undefined;
  const name = type.getSymbol()?.getName() ?? type.aliasSymbol?.getName();
  if (name && COPIED_WHOLE.has(name)) return undefined;
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    for (const element of checker.getTypeArguments(type as ts.TypeReference)) {
      const lost = lostIn(element, checker, depth + 1, seen);
      if (lost) return lost;
    }
    return undefined;
  }
  if (type.getCallSignatures().length > 0) return FUNCTION;
  const properties = checker.getPropertiesOfType(type);
  const behaviour = properties.find((property) => property.declarations?.some((declaration) => ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration) || ts.isGetAccessorDeclaration(declaration)) && isClassMember(property));
  if (behaviour) return `${described(type, checker)}, whose methods and getters (\`${behaviour.getName()}\`) stay behind: the worker gets its fields alone`;
  for (const property of properties) {
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    if (!declaration) continue;
    const lost = lostIn(checker.getTypeOfSymbolAtLocation(property, declaration), checker, depth + 1, seen);
    if (lost === FUNCTION) return `${described(type, checker)}, whose \`${property.getName()}\` is a function, which the queue cannot copy`;
    if (lost) return lost;
  }
  return undefined;
}

/** A method or getter a class (or an interface describing one) gives its instances; an object literal's own functions are copied (or not) as its fields. */
function isClassMember(property: ts.Symbol): boolean {
  return property.declarations?.some((declaration) => ts.isClassLike(declaration.parent) || ts.isInterfaceDeclaration(declaration.parent)) ?? false;
}

function described(type: ts.Type, checker: ts.TypeChecker): string {
  const text = checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation);
  return text.length <= 40 && !text.startsWith('{') ? `a \`${text}\`` : 'an object';
}
