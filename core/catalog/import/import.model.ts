// Product imports: the job's row, the uploaded file's chunks (until the job has read them) and
// the errors it reported. All tenant-owned: reach them with scoped().
import { TenantModel, registerTenantModel } from '../../db/model.js';

export type ImportStatus = 'uploading' | 'queued' | 'running' | 'done' | 'failed';

export class ProductImport extends TenantModel {
  static override tableName = 'product_imports';
  id!: string;
  status!: ImportStatus;
  format!: 'csv' | 'jsonl';
  bytes!: number;
  bytesRead!: number;
  products!: number;
  imported!: number;
  failed!: number;
  errorCount!: number;
  leaseExpiresAt!: string | null;
  actor!: string;
  failure!: string | null;
  startedAt!: string | null;
  finishedAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class ProductImportChunk extends TenantModel {
  static override tableName = 'product_import_chunks';
  static override idColumn = ['import_id', 'seq'];
  static override generateId = false;
  static override timestamps = false;
  importId!: string;
  seq!: number;
  data!: Buffer;
}

export class ProductImportError extends TenantModel {
  static override tableName = 'product_import_errors';
  static override idColumn = ['import_id', 'seq'];
  static override generateId = false;
  static override timestamps = false;
  importId!: string;
  seq!: number;
  line!: number;
  pointer!: string;
  code!: string;
  message!: string;
}

for (const model of [ProductImport, ProductImportChunk, ProductImportError]) registerTenantModel(model);
