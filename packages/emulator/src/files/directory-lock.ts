// A lock that processes share through a folder: mkdir is atomic, so whoever creates the folder holds the lock.
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

/** A lock older than this is taken to be left over from a process that died holding it. */
const STALE_AFTER_MS = 30_000;
const RETRY_MS = 50;
/** Inside the lock folder: the holder's pid, so a waiter sees at once when the holder is gone. */
const OWNER_FILE = "pid";

/** Runs `work` while holding the lock `lockDir` (waiting for another process to release it first). */
export async function withDirectoryLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + STALE_AFTER_MS;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if ((await holderIsGone(lockDir)) || Date.now() > deadline) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
  try {
    await writeFile(path.join(lockDir, OWNER_FILE), String(process.pid));
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function holderIsGone(lockDir: string): Promise<boolean> {
  const age = await stat(lockDir).then(
    (s) => Date.now() - s.mtimeMs,
    () => 0,
  );
  if (age > STALE_AFTER_MS) return true;
  const pid = Number(await readFile(path.join(lockDir, OWNER_FILE), "utf8").catch(() => ""));
  // No pid yet: the holder has only just created the folder.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
