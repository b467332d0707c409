-- The floor of one epoch's settlement of 100,000 hosts on SQLite: the reads and the rows a settlement writes, as plain
-- SQL over generated rows, with nothing of .NET around them (no binding per row, no planning, no ledger decisions).
-- What the coordinator does can only be slower. The tables are the store's (as migrated, 2026-12-06); the state before
-- the epoch is what `gpunet bench ledger --settlement-only` seeds (262,004 accounts, 100,000 pending usage rows, 50,000
-- open leases, 10,000 vesting tranches); the write set is what its settlement writes (311,200 transfers, 89,200 new
-- vesting accounts, 162,603 account totals, 100,000 tranches, 100,000 earnings rows, 100,000 usage rows marked, 50,000
-- billing rows).
--   sqlite3 /tmp/floor.db < bench/settlement-floor.sql      (on a fresh file: rm -f /tmp/floor.db* first)
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
PRAGMA cache_size=-65536;
CREATE TABLE ledger_transfers ("IdHigh" INTEGER NOT NULL, "IdLow" INTEGER NOT NULL, "DebitAccountId" INTEGER NOT NULL, "CreditAccountId" INTEGER NOT NULL, "Amount" INTEGER NOT NULL, "Code" INTEGER NOT NULL, "Flags" INTEGER NOT NULL, "PendingIdHigh" INTEGER NULL, "PendingIdLow" INTEGER NULL, "Timestamp" INTEGER NOT NULL, "Sequence" INTEGER NOT NULL, CONSTRAINT "PK_ledger_transfers" PRIMARY KEY ("IdHigh", "IdLow")) WITHOUT ROWID;
CREATE TABLE ledger_accounts ("Id" INTEGER NOT NULL CONSTRAINT "PK_ledger_accounts" PRIMARY KEY, "DebitsPosted" INTEGER NOT NULL, "CreditsPosted" INTEGER NOT NULL, "DebitsPending" INTEGER NOT NULL, "CreditsPending" INTEGER NOT NULL, "Flags" INTEGER NOT NULL);
CREATE TABLE ledger_account_keys ("Id" INTEGER NOT NULL CONSTRAINT "PK_ledger_account_keys" PRIMARY KEY, "Key" TEXT NOT NULL);
CREATE UNIQUE INDEX "IX_ledger_account_keys_Key" ON ledger_account_keys ("Key");
CREATE TABLE lease_usage ("LeaseId" TEXT NOT NULL, "Attempt" INTEGER NOT NULL, "Sequence" INTEGER NOT NULL, "BilledMs" INTEGER NOT NULL, "Epoch" INTEGER NULL, "FromMs" INTEGER NOT NULL, "GpuMilli" INTEGER NOT NULL, "Gpus" INTEGER NOT NULL, "HostId" TEXT NOT NULL, "Operator" TEXT NOT NULL, "ReceivedAt" INTEGER NOT NULL, "ReportedMs" INTEGER NOT NULL, "Signature" TEXT NOT NULL, "ToMs" INTEGER NOT NULL, CONSTRAINT "PK_lease_usage" PRIMARY KEY ("LeaseId", "Attempt", "Sequence"));
CREATE INDEX "IX_lease_usage_Pending" ON lease_usage ("ReceivedAt") WHERE "Epoch" IS NULL;
CREATE TABLE vesting_tranches ("Owner" TEXT NOT NULL, "Epoch" INTEGER NOT NULL, "Amount" INTEGER NOT NULL, "Released" INTEGER NOT NULL, "Start" INTEGER NOT NULL, CONSTRAINT "PK_vesting_tranches" PRIMARY KEY ("Owner", "Epoch"));
CREATE TABLE host_earnings ("HostId" TEXT NOT NULL, "Epoch" INTEGER NOT NULL, "Operator" TEXT NOT NULL, "Capacity" INTEGER NOT NULL, "Delivery" INTEGER NOT NULL, "Fees" INTEGER NOT NULL, "Slashed" INTEGER NOT NULL, "Credited" INTEGER NOT NULL, CONSTRAINT "PK_host_earnings" PRIMARY KEY ("HostId", "Epoch"));
CREATE TABLE lease_billing ("LeaseId" TEXT NOT NULL CONSTRAINT "PK_lease_billing" PRIMARY KEY, "Customer" TEXT NOT NULL, "Kind" TEXT NOT NULL, "UsdPerToken" REAL NOT NULL, "MaxUsdPerGpuHour" REAL NOT NULL, "Gpus" INTEGER NOT NULL, "GpuMilli" INTEGER NOT NULL, "TermSeconds" INTEGER NOT NULL, "ChargedSeconds" INTEGER NOT NULL, "HoldId" TEXT NULL, "HoldAmount" INTEGER NOT NULL, "ClosedEpoch" INTEGER NULL, "CarriedMs" INTEGER NOT NULL DEFAULT 0);
CREATE INDEX "IX_lease_billing_ClosedEpoch" ON lease_billing ("ClosedEpoch");
CREATE TABLE host_gpus ("HostId" TEXT NOT NULL, "Index" INTEGER NOT NULL, "Uuid" TEXT NOT NULL, "Model" TEXT NOT NULL, CONSTRAINT "PK_host_gpus" PRIMARY KEY ("HostId", "Index"));
-- The state before the epoch (not timed).
INSERT INTO ledger_accounts SELECT value, 0, 0, 0, 0, 0 FROM generate_series(1, 262004);
INSERT INTO ledger_account_keys SELECT value, printf('account:%040x', value) FROM generate_series(1, 262004);
INSERT INTO ledger_transfers SELECT 1, value, 1, 2, 5, 1, 0, NULL, NULL, 0, value FROM generate_series(1, 262001);
INSERT INTO lease_usage SELECT printf('lease-%012x', (value / 2) * 2), 1, value % 2 + 1, 10800000, NULL, 0, 1000, 1 + value % 8, printf('host-%012x', (value / 2) * 2), printf('0x%040x', value + 1), value, 10800000, printf('%0132x', value), 0 FROM generate_series(0, 99999);
INSERT INTO lease_billing SELECT printf('lease-%012x', value * 2), printf('0xc%039x', value % 1000), 'on-demand', 0.1, 3.0, 1, 1000, 0, 0, 'hold', 100, NULL, 0 FROM generate_series(0, 49999);
INSERT INTO vesting_tranches SELECT printf('0x%040x', value * 10 + 2), 1, 50, 0, 0 FROM generate_series(0, 9999);
INSERT INTO host_gpus SELECT printf('host-%012x', h.value), g.value, printf('GPU-%08x-%d', h.value, g.value), CASE h.value % 2 WHEN 0 THEN 'H100' ELSE 'A100' END FROM generate_series(0, 99999) h JOIN generate_series(0, 7) g ON g.value <= h.value % 8;
.timer on
-- Reads (each touches every column settlement reads).
SELECT sum(length("LeaseId") + length("HostId") + "BilledMs" + "Gpus" + "GpuMilli") FROM lease_usage WHERE "Epoch" IS NULL AND "ReceivedAt" < 9000000000;
SELECT sum(c) FROM (SELECT "HostId", "Model", COUNT(*) AS c FROM host_gpus GROUP BY "HostId", "Model");
SELECT sum(length(b."LeaseId") + length(b."Customer") + b."ChargedSeconds" + b."HoldAmount") FROM lease_billing AS b WHERE b."ClosedEpoch" IS NULL;
-- The write set, in one transaction.
BEGIN;
UPDATE lease_usage SET "Epoch" = 7 WHERE "Epoch" IS NULL AND "ReceivedAt" < 9000000000;
INSERT INTO vesting_tranches SELECT printf('0x%040x', (value * 7919) % 100000 + 1), 7, 1000, 0, 0 FROM generate_series(0, 99999);
INSERT INTO host_earnings SELECT printf('host-%012x', (value * 7919) % 100000), 7, printf('0x%040x', value + 1), 1, 2, 3, 0, 0 FROM generate_series(0, 99999);
INSERT INTO ledger_accounts SELECT 300000 + value, 0, 0, 0, 0, 0 FROM generate_series(0, 89199);
INSERT INTO ledger_account_keys SELECT 300000 + value, printf('vesting:0x%040x', (value * 7919) % 100000 + 1) FROM generate_series(0, 89199);
INSERT INTO ledger_transfers SELECT 9000, value, 1 + (value * 7919) % 262004, 300000 + value % 89200, 5, 1, 0, NULL, NULL, 0, 300000 + value FROM generate_series(0, 311199);
UPDATE ledger_accounts SET "DebitsPosted" = "DebitsPosted" + 1, "CreditsPosted" = "CreditsPosted" + 1 WHERE "Id" % 3 = 0 OR "Id" >= 300000;
UPDATE lease_billing SET "ChargedSeconds" = "ChargedSeconds" + 86400, "HoldId" = 'next-' || "LeaseId", "HoldAmount" = 200;
COMMIT;
