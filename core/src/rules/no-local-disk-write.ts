import type { RuleDefinition } from './definition';

export const noLocalDiskWrite: RuleDefinition<'no-local-disk-write'> = {
  id: 'no-local-disk-write',
  description: 'Disallow writes to the local disk on request paths',
  configs: ['recommended', 'strict', 'all'],
  messages: {
    diskWrite:
      '`{{callee}}` writes to this instance\'s local disk on {{route}}. Other instances will not find the file, and it is lost when this instance is replaced.',
    uploadToDisk:
      '{{library}} stores uploads on this instance\'s local disk ({{detail}}). Other instances will not find them; keep uploads in memory and put them in an object store (S3).',
  },
  optionsSchema: {
    type: 'object',
    properties: {
      allowTempFiles: {
        type: 'boolean',
        description: 'Allow writes under `os.tmpdir()` when the same handler removes the file again.',
      },
      checkUploadMiddleware: {
        type: 'boolean',
        description:
          'Report upload middleware configured to store files on local disk (multer `dest` / `diskStorage`, formidable `uploadDir`, express-fileupload `useTempFiles`).',
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { allowTempFiles: true, checkUploadMiddleware: true },
  hasSuggestions: false,
  check: () => undefined,
};
