/**
 * Marks intake- and workflow-owned grievance fields read-only in the content manager's edit
 * view. This is presentation only: the document-service middleware is what ignores them.
 */
import { PROTECTED_GRIEVANCE_FIELDS } from '../domain/intake';
import { UID } from './uids';

export async function lockProtectedGrievanceFields(): Promise<void> {
  const contentTypes = strapi.plugin('content-manager').service('content-types');
  const configuration = await contentTypes.findConfiguration({ uid: UID.grievance });
  const metadatas = { ...configuration.metadatas };
  let changed = false;
  for (const field of PROTECTED_GRIEVANCE_FIELDS) {
    const meta = metadatas[field];
    if (meta?.edit && meta.edit.editable !== false) {
      metadatas[field] = { ...meta, edit: { ...meta.edit, editable: false } };
      changed = true;
    }
  }
  if (changed) await contentTypes.updateConfiguration({ uid: UID.grievance }, { metadatas });
}
