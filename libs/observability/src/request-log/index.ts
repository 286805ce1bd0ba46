export * from './redaction';
export * from './batch-writer';
