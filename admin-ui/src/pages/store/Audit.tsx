// This store's audit trail (roles holding audit:read).
import { AuditLog } from '../../audit-log';

export default function Audit() {
  return <AuditLog scope="store" />;
}
