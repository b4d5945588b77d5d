export const LEAD_STATUSES = [
  'received',
  'rejected',
  'routing',
  'held',
  'review',
  'delivering',
  'offered',
  'assigned',
  'undeliverable',
  'escalated',
  'manual_queue',
  'closed',
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const WORK_STATUSES = ['contacted', 'appointment', 'qualified', 'won', 'lost'] as const;
export type WorkStatus = (typeof WORK_STATUSES)[number];

export const REJECT_REASONS = ['invalid', 'duplicate', 'dnc', 'no_coverage', 'closed', 'risk'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export type BillingState = 'pending' | 'billable' | 'credited' | 'final' | 'not_billed';

export type SharePermission = 'view' | 'act';
