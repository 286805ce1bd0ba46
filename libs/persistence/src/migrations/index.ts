import { InitialSchema1732300000000 } from './1732300000000-initial-schema';

/** Listed explicitly (not globbed) so they load the same from ts-jest and from dist/. */
export const MIGRATIONS = [InitialSchema1732300000000];
