import { groupRowsFromCsv, groupRowsFromJson } from '@scimflow/provisioning';
import { importVerb } from './users.verbs';

/** `scimctl groups import --tenant T --file F`: the product's own groups, through the command pipeline like the admin API. */
export const groupsImportVerb = importVerb(
  'groups',
  'Group',
  "scimctl groups import --tenant T --file F.csv|F.json  import the product's groups (displayName, optional id = the product's UUID,\n" +
    '                                                       externalId); one JSON line per row, then a summary; safe to re-run',
  groupRowsFromCsv,
  groupRowsFromJson,
);
