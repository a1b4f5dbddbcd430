#!/usr/bin/env node
import { Command, Option } from 'commander';
import { type Config, ConfigError, loadConfig } from './config/config.js';
import { closeDeps, createDeps, type Deps } from './deps.js';
import { addContact, createClient } from './features/clients/client.service.js';
import { DEMO_CLIENTS } from './features/demo/demo-data.js';
import { seedDemoTenant } from './features/demo/demo-seed.service.js';
import { demoCredentialsPath, describeDemoCredentials, writeDemoCredentials } from './features/demo/demo-credentials.js';
import { addOperator, generateOperatorPassword, resetOperatorPassword } from './features/operator/operator.service.js';
import { addTeamMember } from './features/team/team.service.js';
import { createTenant, getTenantBySlug } from './features/tenants/tenant.service.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { listJobs, requeueDeadJobs } from './platform/jobs/outbox.repository.js';
import { AppError, isAppError } from './platform/errors.js';
import { closeOnSignals, createWorker, startInboundSmtp, startServer } from './server.js';

/** The worker command's log: the listener's lines on the console. */
const consoleLogger = {
  info: (_obj: object, msg?: string) => console.log(msg),
  warn: (obj: object, msg?: string) => console.warn(msg, obj),
  error: (obj: object, msg?: string) => console.error(msg, obj),
};

/** The `servelo` command line: the server, the worker, and the administrative commands. */
const program = new Command('servelo').description('Servelo service desk').showHelpAfterError();

program
  .command('start')
  .description('run the web server (and, by default, the background worker)')
  .action(async () => {
    const config = loadConfig();
    const server = await startServer(config);
    closeOnSignals(server, config.http.shutdownTimeoutMs);
    printBanner(config, server.url);
  });

program
  .command('worker')
  .description('run only the background worker (for deployments with WORKER_IN_PROCESS=false)')
  .action(async () => {
    const config = loadConfig();
    const deps = createDeps(config);
    await migrateToLatest(deps.db);
    const worker = createWorker(config, deps, undefined);
    deps.wakeWorker = () => worker.wake();
    const smtp = config.inbound.smtp?.runIn === 'worker' ? await startInboundSmtp(config, deps, consoleLogger) : undefined;
    worker.start();
    // The worker's poll timer never holds a process open (it runs inside `start` too); this command
    // has nothing else to wait on (SQLite keeps no socket), so it holds itself open until told to stop.
    const keepAlive = setInterval(() => undefined, 60_000);
    console.log('Worker running. Press Ctrl+C to stop.');
    if (smtp) console.log(`Receiving email by SMTP on ${config.inbound.smtp?.host}:${smtp.port}.`);
    closeOnSignals(
      {
        async close() {
          clearInterval(keepAlive);
          await smtp?.close();
          await worker.stop();
          await closeDeps(deps);
        },
      },
      config.http.shutdownTimeoutMs,
    );
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(() =>
    withDeps(async (deps) => {
      const { applied } = await migrateToLatest(deps.db);
      console.log(
        applied.length === 0 ? 'The database is up to date.' : `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}`,
      );
    }, false),
  );

program
  .command('seed')
  .description('seed data')
  .requiredOption('--demo', 'the Acme Plumbing demo tenant (idempotent)')
  .action(() =>
    withDeps(async (deps) => {
      const config = loadConfig();
      const { created, tenant, teamCredentials } = await seedDemoTenant(deps, { teamPasswords: config.env === 'development' });
      console.log(
        created
          ? `Seeded the demo tenant "${tenant.name}" (/portal/${tenant.slug}).`
          : `The demo tenant "${tenant.name}" already exists; nothing changed.`,
      );
      if (teamCredentials.length > 0) {
        const file = writeDemoCredentials(config.dataDir, teamCredentials);
        for (const line of describeDemoCredentials(teamCredentials, file, `${config.http.publicUrl}/app`)) console.log(line);
      }
    }),
  );

const tenant = program.command('tenant').description('manage tenants');
tenant
  .command('create')
  .description('create a tenant')
  .requiredOption('--slug <slug>', 'portal address: /portal/<slug>')
  .requiredOption('--name <name>', 'organisation name shown to customers')
  .option('--accent-color <hex>', 'brand colour, like #2563eb')
  .option('--currency <code>', 'ISO 4217 currency, like USD')
  .option('--locale <tag>', 'BCP 47 locale, like en-US')
  .option('--time-zone <zone>', 'IANA time zone, like America/Chicago')
  .action((o: { slug: string; name: string; accentColor?: string; currency?: string; locale?: string; timeZone?: string }) =>
    withDeps(async (deps) => {
      const created = await createTenant(deps, o, { kind: 'system' });
      console.log(`Created tenant "${created.name}" (${created.id}); portal: /portal/${created.slug}`);
    }),
  );

program
  .command('team')
  .description('manage team members')
  .command('add')
  .description('add a team member to a tenant')
  .requiredOption('--tenant <slug>', 'tenant slug')
  .requiredOption('--email <email>', 'email address')
  .addOption(new Option('--role <role>', 'role').choices(['owner', 'admin', 'agent']).makeOptionMandatory())
  .option('--name <name>', 'display name (defaults to the email)')
  .action((o: { tenant: string; email: string; role: 'owner' | 'admin' | 'agent'; name?: string }) =>
    withDeps(async (deps) => {
      const t = await getTenantBySlug(deps.db, o.tenant);
      const member = await addTeamMember(deps, t.id, { email: o.email, name: o.name ?? o.email, role: o.role });
      console.log(`Added ${member.email} as ${member.role} of "${t.name}".`);
    }),
  );

program
  .command('client')
  .description('manage clients')
  .command('add')
  .description('add a client to a tenant, optionally with its first contact')
  .requiredOption('--tenant <slug>', 'tenant slug')
  .requiredOption('--name <name>', 'client name')
  .addOption(
    new Option('--visibility <mode>', 'what its contacts see: all tickets of the client, or only their own').choices(['all', 'own']),
  )
  .option('--contact-email <email>', 'email of the first contact (signs in to the portal)')
  .option('--contact-name <name>', 'name of the first contact')
  .option('--contact-phone <phone>', 'phone of the first contact')
  .action(
    (o: { tenant: string; name: string; visibility?: 'all' | 'own'; contactEmail?: string; contactName?: string; contactPhone?: string }) =>
      withDeps(async (deps) => {
        const t = await getTenantBySlug(deps.db, o.tenant);
        const client = await createClient(deps, t.id, { name: o.name, ticketVisibility: o.visibility });
        console.log(`Added client "${client.name}" (${client.id}) to "${t.name}".`);
        if (o.contactEmail) {
          const contact = await addContact(deps, t.id, client.id, {
            email: o.contactEmail,
            name: o.contactName ?? o.contactEmail,
            phone: o.contactPhone ?? null,
          });
          console.log(`Added contact ${contact.email}.`);
        }
      }),
  );

const operatorCommand = program.command('operator').description('manage operators of this installation (they sign in to /operator)');
operatorCommand
  .command('add')
  .description('add an operator; two-step sign-in is set up at the first sign-in')
  .requiredOption('--email <email>', 'email address')
  .option('--name <name>', 'display name')
  .option('--password-stdin', 'read the password from standard input (else: asked for on a terminal, or generated and printed once)')
  .action((o: { email: string; name?: string; passwordStdin?: boolean }) =>
    withDeps(async (deps) => {
      const { password, generated } = await operatorPasswordOf(o.passwordStdin === true);
      const operator = await addOperator(
        deps,
        { email: o.email, ...(o.name ? { name: o.name } : {}), password },
        loadConfig().teamAuth.argon2,
      );
      console.log(`Added operator ${operator.email}.`);
      if (generated) printGeneratedPassword(password);
      console.log('Sign in at /operator on the platform host; the first sign-in sets up the authenticator app.');
    }),
  );
operatorCommand
  .command('reset-password')
  .description("set a new password for an operator (ends the operator's console sessions)")
  .requiredOption('--email <email>', 'email address')
  .option('--password-stdin', 'read the password from standard input (else: asked for on a terminal, or generated and printed once)')
  .action((o: { email: string; passwordStdin?: boolean }) =>
    withDeps(async (deps) => {
      const { password, generated } = await operatorPasswordOf(o.passwordStdin === true);
      const operator = await resetOperatorPassword(deps, { email: o.email, password }, loadConfig().teamAuth.argon2);
      console.log(`Set a new password for operator ${operator.email}; their console sessions are ended.`);
      if (generated) printGeneratedPassword(password);
    }),
  );

/**
 * An operator's password: from standard input with `--password-stdin` (scripts, CI), else asked
 * for twice without echo on a terminal, else (no terminal: a pipe, CI) generated.
 */
async function operatorPasswordOf(fromStdin: boolean): Promise<{ password: string; generated: boolean }> {
  if (fromStdin) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return {
      password: Buffer.concat(chunks)
        .toString('utf8')
        .replace(/\r?\n$/, ''),
      generated: false,
    };
  }
  if (process.stdin.isTTY && process.stdout.isTTY) {
    const password = await promptHidden('Password (at least 12 characters; empty to generate one): ');
    if (password === '') return { password: generateOperatorPassword(), generated: true };
    if ((await promptHidden('Repeat the password: ')) !== password) {
      throw new AppError('VALIDATION_FAILED', 'The two passwords differ.');
    }
    return { password, generated: false };
  }
  return { password: generateOperatorPassword(), generated: true };
}

function printGeneratedPassword(password: string): void {
  console.log(`Password (shown this once; store it in a password manager): ${password}`);
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let typed = '';
    const onData = (text: string) => {
      for (const char of text) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          resolve(typed);
          return;
        }
        if (char === '\u0003') {
          stdin.setRawMode(false);
          process.stdout.write('\n');
          process.exit(130);
        }
        typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char;
      }
    };
    stdin.on('data', onData);
  });
}

const outbox = program.command('outbox').description('jobs the worker gave up on (mail a relay refused for days, …)');
outbox
  .command('dead')
  .description('list the jobs that were given up, newest first')
  .option('--tenant <slug>', "only this organisation's")
  .action((o: { tenant?: string }) =>
    withDeps(async (deps) => {
      const tenantId = o.tenant ? (await getTenantBySlug(deps.db, o.tenant)).id : undefined;
      const jobs = await listJobs(deps.db, { status: 'dead', ...(tenantId ? { tenantId } : {}) });
      if (jobs.length === 0) {
        console.log('No dead jobs.');
        return;
      }
      for (const job of jobs.reverse()) {
        console.log(`${job.id}  ${job.kind}  tenant ${job.tenantId ?? '-'}  ${job.attempts} attempts  last: ${job.lastError ?? '-'}`);
      }
      console.log(`${jobs.length} dead job(s). Requeue with: servelo outbox retry <id …> | --all`);
    }),
  );
outbox
  .command('retry')
  .description('queue dead jobs again, to run now with a fresh count of attempts')
  .argument('[ids...]', 'the jobs to requeue')
  .option('--all', 'every dead job (of --tenant, when given)')
  .option('--tenant <slug>', "only this organisation's")
  .action((ids: string[], o: { all?: boolean; tenant?: string }) =>
    withDeps(async (deps) => {
      if (ids.length === 0 && !o.all) throw new Error('name the jobs to requeue, or pass --all');
      const tenantId = o.tenant ? (await getTenantBySlug(deps.db, o.tenant)).id : undefined;
      const count = await requeueDeadJobs(deps.db, {
        now: deps.clock.now(),
        ...(o.all ? {} : { ids }),
        ...(tenantId ? { tenantId } : {}),
      });
      console.log(`Requeued ${count} job(s); the worker sends them on its next poll.`);
    }),
  );

/** Runs one administrative command against the configured database, migrated first. */
async function withDeps(fn: (deps: Deps) => Promise<void>, migrateFirst = true): Promise<void> {
  const deps = createDeps(loadConfig());
  try {
    if (migrateFirst) await migrateToLatest(deps.db);
    await fn(deps);
  } finally {
    await closeDeps(deps);
  }
}

function printBanner(config: Config, listeningOn: string): void {
  const base = config.http.publicUrl;
  const lines = [
    '',
    `  Servelo is running on ${listeningOn}`,
    '',
    `  Customer portal (demo):  ${base}/portal/demo`,
    ...(config.env === 'production' ? [] : [`  Team app (demo):         ${base}/app  (passwords: ${demoCredentialsPath(config.dataDir)})`]),
    `  Operator console:        ${base}/operator  (add an operator: servelo operator add --email …)`,
    ...(config.mail.smtpUrl
      ? [`  Outgoing mail:           SMTP relay`]
      : [
          `  Dev mailbox:             ${base}/_dev/mail`,
          `  Try signing in as:       ${DEMO_CLIENTS[0].contacts[0].email} (the link arrives in the dev mailbox)`,
        ]),
    ...(config.domains.https
      ? [`  HTTPS (custom domains):  ${config.domains.https.host}:${config.domains.https.port}, certificate by SNI`]
      : []),
    ...(config.inbound.smtp?.runIn === 'start'
      ? [`  Incoming mail (SMTP):    ${config.inbound.smtp.host}:${config.inbound.smtp.port} for *@${config.inboundDomain}`]
      : []),
    `  API description:         ${base}/api/openapi.json`,
    `  Health / readiness:      ${base}/healthz  ${base}/readyz`,
    `  Database:                ${config.database.kind === 'sqlite' ? config.database.path : 'PostgreSQL'}`,
    '',
  ];
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(config.http.host);
  if (!config.mail.smtpUrl && !loopback) {
    lines.push(
      '  WARNING: the dev mailbox shows every sign-in link to anyone who can reach this address.',
      '  Set SMTP_URL, or listen on 127.0.0.1 only.',
      '',
    );
  }
  console.log(lines.join('\n'));
}

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else if (isAppError(error)) {
    console.error(`Error ${error.code}: ${error.message}`);
    for (const d of error.details ?? []) console.error(`  - ${d.path}: ${d.message}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
