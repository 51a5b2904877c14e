// The platform's audit trail: every store's entries and the platform's own.
import { AuditLog } from '../../audit-log';

export default function Audit() {
  return <AuditLog scope="platform" />;
}
