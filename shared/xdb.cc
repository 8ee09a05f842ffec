/*
 * xdb.cc - the C boundary over Xapian (see xdb.h).
 *
 * Every extern "C" function body is one try block whose handlers call
 * fail(), which rethrows and maps the exception, most specific first, to a
 * status and a message saying what we were doing.  No exception leaves this
 * file.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <set>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "shared/xdb.h"

struct sp_xdoc {
    Xapian::Document doc;
    /* A metadata write queued for the writer thread instead (meta). */
    bool meta = false;
    std::string key, value;
    /* The document this one replaces (sp_xdb_replace_doc_async), or with
     * del the one to delete (sp_xdb_delete_docids); 0: a new document. */
    Xapian::docid target = 0;
    bool del = false;
};

/* The writer thread of an index open for writing.  add_document (Xapian's
 * in-memory inversion and its flushes) is about two thirds of indexing
 * time; on this thread it runs on the second core while the caller reads,
 * analyses and builds the next documents.  Xapian objects are not
 * thread-safe, so db_mu is held around every call on the database, by
 * either thread.  Calls that take callbacks drain the queue first, so that
 * calls from a callback never wait for the writer. */
struct sp_xwriter {
    std::mutex q_mu;                /* guards the fields below */
    /* The writer waits on work_cv for a batch, a drain or the stop; the
     * caller waits on room_cv for room in the queue or for the drain.
     * Each side wakes the other only when it waits (a futex call per
     * document was 5% of spindex's CPU). */
    std::condition_variable work_cv;
    std::condition_variable room_cv;
    std::deque<sp_xdoc *> queue;    /* documents to add, in order */
    bool busy = false;              /* a document is being added */
    bool stopping = false;
    bool started = false;
    bool writer_idle = false;       /* the writer waits on work_cv */
    bool caller_full = false;       /* the caller waits for room */
    unsigned drains = 0;            /* callers waiting for an empty queue */
    spsearch_status_t st = SPSEARCH_OK; /* the first failure, sticky */
    sp_error err;
    /* Recursive: a callback of sp_xdb_terms() or sp_xdb_metadata_keys()
     * may call back into the database. */
    std::recursive_mutex db_mu;
    std::thread thread;
};

/* Documents queued at most: enough to ride out a slow flush, few enough
 * that the queue's memory (a few KB a passage) stays small. */
static const size_t WRITER_QUEUE_MAX = 256;
/* An idle writer starts again once this many are queued (or on a drain),
 * and a caller waiting for room once the queue is down to half. */
static const size_t WRITER_BATCH = 32;

struct sp_xdb {
    Xapian::Database *db;         /* the reader, or wdb seen as a reader */
    Xapian::WritableDatabase *wdb; /* NULL for a reader */
    std::string path;
    bool in_txn;
    bool stub;                    /* opened through a stub file (shards) */
    /* What a reader's path names (see where_signature), to see it
     * replaced: a new index in its place may have the revision number the
     * reader has, which reopen() takes for no change, and reopen() never
     * reads a stub file again.  Empty for a writer. */
    std::string where;
    sp_xwriter *w;                /* NULL for a reader */
    /* A writer's metadata reads while its thread works: the committed
     * state through a reader of its own, under every write since the last
     * commit (value "": deleted).  Reading through the writer would wait
     * for the document it is adding, or for a whole flush: 40% of a
     * one-process build on the 11M corpus went to that wait. */
    Xapian::Database *meta_reader = nullptr;
    std::map<std::string, std::string> meta_since_commit;
};

struct sp_xquery {
    Xapian::Query q;
};

struct sp_xmset {
    Xapian::MSet mset;
    Xapian::Enquire *enq; /* kept for explaining hits */
    Xapian::Database *db;
    int folded; /* frequencies went through sp_xdoc_fold_length */
};

struct sp_xstem {
    Xapian::Stem stem;
};

/* How often a reader reopens and retries when a writer's commit removed
 * blocks it was reading, before giving up with SPSEARCH_MODIFIED. */
static const int MODIFIED_RETRIES = 5;

static spsearch_status_t xapian_fail(sp_error *err, spsearch_status_t st,
                                     const std::string &doing,
                                     const Xapian::Error &e)
{
    std::string msg = doing + ": " + e.get_msg();
    const char *detail = e.get_error_string();
    if (detail != NULL && *detail != '\0')
        msg += std::string(" (") + detail + ")";
    return sp_error_set(err, st, "%s", msg.c_str());
}

/* Maps the exception being handled to a status; call only from a catch. */
static spsearch_status_t fail(sp_error *err, const std::string &doing)
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        return xapian_fail(err, SPSEARCH_LOCKED, doing, e);
    } catch (const Xapian::DatabaseVersionError &e) {
        return xapian_fail(err, SPSEARCH_VERSION, doing, e);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return xapian_fail(err, SPSEARCH_NO_INDEX, doing, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        return xapian_fail(err, SPSEARCH_CORRUPT, doing, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return xapian_fail(err, SPSEARCH_CORRUPT, doing, e);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return xapian_fail(err, SPSEARCH_MODIFIED, doing, e);
    } catch (const Xapian::NetworkTimeoutError &e) {
        return xapian_fail(err, SPSEARCH_NETWORK, doing, e);
    } catch (const Xapian::NetworkError &e) {
        return xapian_fail(err, SPSEARCH_NETWORK, doing, e);
    } catch (const Xapian::QueryParserError &e) {
        return xapian_fail(err, SPSEARCH_BAD_QUERY, doing, e);
    } catch (const Xapian::DatabaseError &e) {
        /* Disk full, permission denied and the like surface here. */
        return xapian_fail(err, SPSEARCH_IO, doing, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return xapian_fail(err, SPSEARCH_INVALID, doing, e);
    } catch (const Xapian::FeatureUnavailableError &e) {
        /* A copy from sp_xdb_compact served by xapian-tcpsrv: the remote
         * protocol sends a document's values by way of its term list. */
        if (e.get_msg().find("no termlist") != std::string::npos)
            return sp_error_set(
                err, SPSEARCH_INVALID,
                "%s: %s (a copy written by spindex --compact has no term "
                "lists, which xapian-tcpsrv needs to send passages: serve "
                "the index it was made from)",
                doing.c_str(), e.get_msg().c_str());
        return xapian_fail(err, SPSEARCH_INTERNAL, doing, e);
    } catch (const Xapian::Error &e) {
        return xapian_fail(err, SPSEARCH_INTERNAL, doing, e);
    } catch (const std::bad_alloc &) {
        return sp_error_set(err, SPSEARCH_NOMEM, "%s: out of memory",
                            doing.c_str());
    } catch (const std::exception &e) {
        return sp_error_set(err, SPSEARCH_INTERNAL, "%s: %s", doing.c_str(),
                            e.what());
    } catch (...) {
        return sp_error_set(err, SPSEARCH_INTERNAL, "%s: unknown exception",
                            doing.c_str());
    }
}

/* malloc'd copy of s, for handing bytes to C callers. */
static spsearch_status_t copy_out(const std::string &s, char **out,
                                  size_t *len, sp_error *err)
{
    *out = static_cast<char *>(malloc(s.size() + 1));
    if (*out == NULL) {
        if (len != NULL)
            *len = 0;
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    }
    memcpy(*out, s.data(), s.size());
    (*out)[s.size()] = '\0';
    if (len != NULL)
        *len = s.size();
    return SPSEARCH_OK;
}

static spsearch_status_t not_writable(sp_xdb *db, sp_error *err)
{
    return sp_error_set(err, SPSEARCH_INVALID,
                        "index %s: opened for reading, not writing",
                        db->path.c_str());
}

/* The writer thread's loop: adds the queued documents in order until told
 * to stop.  A failure is kept for the caller's next call and drops what is
 * still queued: the batch will not be committed. */
static void writer_run(sp_xdb *db)
{
    sp_xwriter *w = db->w;
    try {
        std::unique_lock<std::mutex> lk(w->q_mu);
        for (;;) {
            w->writer_idle = true;
            w->work_cv.wait(lk, [w] {
                return w->stopping || w->queue.size() >= WRITER_BATCH ||
                       (!w->queue.empty() && w->drains > 0);
            });
            w->writer_idle = false;
            if (w->queue.empty())
                return;
            sp_xdoc *doc = w->queue.front();
            w->queue.pop_front();
            w->busy = true;
            bool room = w->caller_full &&
                        w->queue.size() <= WRITER_QUEUE_MAX / 2;
            lk.unlock();
            if (room)
                w->room_cv.notify_all();
            spsearch_status_t st = SPSEARCH_OK;
            sp_error err;
            try {
                std::lock_guard<std::recursive_mutex> g(w->db_mu);
                if (doc->meta)
                    db->wdb->set_metadata(doc->key, doc->value);
                else if (doc->del)
                    db->wdb->delete_document(doc->target);
                else if (doc->target != 0)
                    db->wdb->replace_document(doc->target, doc->doc);
                else
                    db->wdb->add_document(doc->doc);
            } catch (...) {
                std::string doing =
                    doc->meta ? "writing metadata to " + db->path
                    : doc->del
                        ? "deleting document " + std::to_string(doc->target) +
                              " from " + db->path
                    : doc->target != 0
                        ? "replacing document " + std::to_string(doc->target) +
                              " in " + db->path
                        : "adding a document to " + db->path;
                st = fail(&err, doing);
            }
            delete doc;
            lk.lock();
            w->busy = false;
            bool wake = false;
            if (st != SPSEARCH_OK && w->st == SPSEARCH_OK) {
                w->st = st;
                w->err = err;
                for (sp_xdoc *d : w->queue)
                    delete d;
                w->queue.clear();
                wake = true;
            }
            if (wake || (w->queue.empty() && w->drains > 0))
                w->room_cv.notify_all();
        }
    } catch (...) {
        /* Only the locks can throw here (std::system_error): report it as
         * the writer's failure rather than let it end the process. */
        sp_error err;
        spsearch_status_t st = fail(&err, "writing to " + db->path);
        std::lock_guard<std::mutex> g(w->q_mu);
        if (w->st == SPSEARCH_OK) {
            w->st = st;
            w->err = err;
        }
        w->busy = false;
        w->writer_idle = false;
        w->room_cv.notify_all();
    }
}

/* Holds a writer's database for one call on it: first waits until every
 * queued document is added (drain), unless the call touches only
 * metadata, which queued documents do not change.  Nothing for a
 * reader. */
class db_hold {
  public:
    db_hold(sp_xdb *db, bool drain) : w_(db->w)
    {
        if (w_ == NULL)
            return;
        if (drain) {
            std::unique_lock<std::mutex> lk(w_->q_mu);
            auto drained = [this] {
                return (w_->queue.empty() && !w_->busy) || !w_->started ||
                       w_->st != SPSEARCH_OK;
            };
            if (!drained()) {
                w_->drains++;
                w_->work_cv.notify_one();
                w_->room_cv.wait(lk, drained);
                w_->drains--;
            }
        }
        w_->db_mu.lock();
    }
    ~db_hold()
    {
        if (w_ != NULL)
            w_->db_mu.unlock();
    }
    db_hold(const db_hold &) = delete;
    db_hold &operator=(const db_hold &) = delete;

  private:
    sp_xwriter *w_;
};

/* The writer thread's failure, if it had one, copied into err. */
static spsearch_status_t writer_status(sp_xdb *db, sp_error *err)
{
    if (db->w == NULL)
        return SPSEARCH_OK;
    std::lock_guard<std::mutex> g(db->w->q_mu);
    if (db->w->st != SPSEARCH_OK && err != NULL)
        *err = db->w->err;
    return db->w->st;
}

/* Stops and joins the writer thread; documents still queued are dropped
 * (callers that want them written drain first). */
static void writer_stop(sp_xdb *db)
{
    sp_xwriter *w = db->w;
    if (w == NULL)
        return;
    {
        std::lock_guard<std::mutex> g(w->q_mu);
        w->stopping = true;
        for (sp_xdoc *d : w->queue)
            delete d;
        w->queue.clear();
    }
    w->work_cv.notify_all();
    w->room_cv.notify_all();
    if (w->thread.joinable())
        w->thread.join();
    delete w;
    db->w = NULL;
}

extern "C" {

static void (*fatal_fn)(void);

static void on_terminate()
{
    if (fatal_fn != NULL)
        fatal_fn();
    abort();
}

void sp_xdb_on_fatal(void (*fn)(void))
{
    fatal_fn = fn;
    std::set_terminate(on_terminate);
}

const char *sp_xdb_xapian_version(void)
{
    try {
        return Xapian::version_string();
    } catch (...) {
        return "unknown";
    }
}

/* Appends to out a text that changes when the index at path (sb: its
 * stat) is replaced: a folder's device and inode (not its times, which
 * every commit changes); for a stub file, its device, inode, size and
 * modification time, then the same for each local database it lists,
 * relative paths from the stub's folder as Xapian reads them.  Remote
 * shards are their server's to reopen.  Stubs listing stubs are followed
 * a few levels deep. */
static void where_signature(const std::string &path, const struct stat &sb,
                            int depth, std::string &out)
{
    char id[96];
    if (S_ISDIR(sb.st_mode)) {
        snprintf(id, sizeof id, "d%ju:%ju;", (uintmax_t)sb.st_dev,
                 (uintmax_t)sb.st_ino);
        out += id;
        return;
    }
    snprintf(id, sizeof id, "f%ju:%ju:%jd:%jd.%09ld;", (uintmax_t)sb.st_dev,
             (uintmax_t)sb.st_ino, (intmax_t)sb.st_size,
             (intmax_t)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec);
    out += id;
    if (depth >= 4 || !S_ISREG(sb.st_mode))
        return;
    /* Closed however this ends: a string below may throw bad_alloc. */
    std::unique_ptr<FILE, int (*)(FILE *)> file(fopen(path.c_str(), "r"),
                                                fclose);
    FILE *f = file.get();
    if (f == NULL && errno == ENOMEM)
        throw std::bad_alloc(); /* not a change of the index */
    if (f == NULL)
        return;
    std::string dir;
    size_t slash = path.rfind('/');
    if (slash != std::string::npos)
        dir = path.substr(0, slash + 1);
    char line[4096];
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        const char *sp = strchr(line, ' ');
        if (sp == NULL)
            continue;
        std::string kind(line, (size_t)(sp - line));
        if (kind != "auto" && kind != "glass" && kind != "chert")
            continue;
        std::string listed = sp + 1;
        if (listed.empty())
            continue;
        if (listed[0] != '/')
            listed = dir + listed;
        struct stat lsb;
        if (stat(listed.c_str(), &lsb) != 0)
            out += "-;";
        else
            where_signature(listed, lsb, depth + 1, out);
    }
}

/* Removes the folder path that a failed creation of an index left (its
 * files: Xapian's folder has no subfolders), so that the next run creates
 * it anew instead of finding a damaged index. */
static void remove_created(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return;
    std::string dir(path);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            (void)unlink((dir + "/" + e->d_name).c_str());
    }
    closedir(d);
    (void)rmdir(path);
}

spsearch_status_t sp_xdb_open(const char *path, int mode, sp_xdb **out,
                              sp_error *err)
{
    *out = NULL;
    sp_xdb *db = NULL;
    /* A writer that creates the index removes what it made if it fails. */
    struct stat before;
    bool creating = (mode & 0xff) != SP_XDB_READ && stat(path, &before) != 0 &&
                    errno == ENOENT;
    try {
        int base = mode & 0xff;
        db = new sp_xdb();
        db->path = path;
        db->in_txn = false;
        db->db = NULL;
        db->wdb = NULL;
        db->w = NULL;
        if (base == SP_XDB_READ) {
            /* Xapian says "not found" also for a folder of garbage; only a
             * path that is not there at all is a missing index. */
            struct stat sb;
            bool there = stat(path, &sb) == 0;
            if (!there && errno == ENOENT) {
                delete db;
                return sp_error_set(err, SPSEARCH_NO_INDEX,
                                    "opening index %s: no index there "
                                    "(run spindex first)", path);
            }
            db->stub = there && !S_ISDIR(sb.st_mode);
            if (there)
                where_signature(path, sb, 0, db->where);
            db->db = new Xapian::Database(path);
        } else {
            int flags = base == SP_XDB_OVERWRITE ? Xapian::DB_CREATE_OR_OVERWRITE
                                                 : Xapian::DB_CREATE_OR_OPEN;
            if (mode & SP_XDB_WAIT_LOCK)
                flags |= Xapian::DB_RETRY_LOCK;
            db->wdb = new Xapian::WritableDatabase(path, flags);
            db->db = db->wdb;
            db->w = new sp_xwriter();
        }
        *out = db;
        return SPSEARCH_OK;
    } catch (...) {
        sp_error xerr;
        spsearch_status_t st = fail(&xerr, std::string("opening index ") +
                                               path);
        /* Xapian reports a writer that may not create its lock file as
         * locked; that is a permission problem, which waiting for the
         * other writer would never solve. */
        if (st == SPSEARCH_LOCKED && access(path, W_OK | X_OK) != 0 &&
            errno != ENOENT) {
            st = sp_error_set(err, SPSEARCH_IO,
                              "opening index %s for writing: %s", path,
                              strerror(errno));
        } else if (st == SPSEARCH_NO_INDEX || st == SPSEARCH_CORRUPT ||
                   st == SPSEARCH_IO) {
            /* Say what a user can act on, with Xapian's words after.  A
             * folder must be searchable too; a plain file (a stub, or
             * not an index at all) only readable. */
            struct stat sb;
            int need = stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode)
                           ? R_OK
                           : R_OK | X_OK;
            int why = access(path, need) == 0 ? 0 : errno;
            if (why == ENOENT) {
                /* A writer could not create the index: Xapian says why
                 * ("Cannot create directory ... (Permission denied)"). */
                if (err != NULL)
                    *err = xerr;
            } else if (why != 0) {
                st = sp_error_set(err, SPSEARCH_IO,
                                  "opening index %s: %s", path,
                                  strerror(why));
            } else if (st == SPSEARCH_IO) {
                /* Readable, but a write failed (creating it on a full
                 * disk): Xapian's words say which. */
                if (err != NULL)
                    *err = xerr;
            } else {
                size_t skip = strlen("opening index ") + strlen(path) + 2;
                const char *detail =
                    skip <= strlen(xerr.msg) ? xerr.msg + skip : "";
                st = sp_error_set(err, SPSEARCH_CORRUPT,
                                  "opening index %s: damaged, or not a "
                                  "spsearch index (%s)",
                                  path, detail);
            }
        } else if (err != NULL) {
            *err = xerr;
        }
        if (db != NULL) {
            delete db->w;
            delete db->wdb;
            if (db->wdb == NULL)
                delete db->db;
            delete db;
        }
        /* Not when another writer holds it: that one made it. */
        if (creating && st != SPSEARCH_LOCKED)
            remove_created(path);
        return st;
    }
}

void sp_xdb_free(sp_xdb *db)
{
    if (db == NULL)
        return;
    try {
        writer_stop(db);
        delete db->meta_reader;
        if (db->wdb != NULL) {
            if (db->in_txn)
                db->wdb->cancel_transaction();
            delete db->wdb;
        } else {
            delete db->db;
        }
    } catch (...) {
        /* Nothing to report to: the caller is already handling an error. */
    }
    delete db;
}

spsearch_status_t sp_xdb_close(sp_xdb *db, sp_error *err)
{
    if (db == NULL)
        return SPSEARCH_OK;
    spsearch_status_t st = SPSEARCH_OK;
    try {
        db_hold hold(db, true);
        if (db->wdb != NULL) {
            if (db->in_txn) {
                db->in_txn = false;
                db->wdb->cancel_transaction();
            }
            db->wdb->close();
        } else {
            db->db->close();
        }
    } catch (...) {
        st = fail(err, "closing index " + db->path);
    }
    sp_xdb_free(db);
    return st;
}

spsearch_status_t sp_xdb_reopen(sp_xdb *db, int *changed, sp_error *err)
{
    if (changed != NULL)
        *changed = 0;
    try {
        db_hold hold(db, true);
        struct stat sb;
        std::string now;
        if (db->wdb == NULL && stat(db->path.c_str(), &sb) == 0 &&
            (where_signature(db->path, sb, 0, now), now != db->where)) {
            /* Another folder, such as a rebuild swapped in, or a stub
             * edited or listing one: read it anew. */
            Xapian::Database *fresh = new Xapian::Database(db->path);
            delete db->db;
            db->db = fresh;
            db->where.swap(now);
            if (changed != NULL)
                *changed = 1;
            return SPSEARCH_OK;
        }
        bool moved = db->db->reopen();
        if (changed != NULL)
            *changed = moved;
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "reopening index " + db->path);
    }
}

/* After a commit (beginning a transaction commits too) or a cancel, the
 * committed state is the writer's: the metadata reader catches up, and
 * the writes since the last commit are forgotten. */
static void metadata_committed(sp_xdb *db)
{
    db->meta_since_commit.clear();
    if (db->meta_reader != nullptr) {
        try {
            db->meta_reader->reopen();
        } catch (...) {
            delete db->meta_reader;
            db->meta_reader = nullptr;
        }
    }
}

spsearch_status_t sp_xdb_begin(sp_xdb *db, sp_error *err)
{
    if (db->wdb == NULL)
        return not_writable(db, err);
    try {
        db_hold hold(db, true);
        db->wdb->begin_transaction(true);
        db->in_txn = true;
        metadata_committed(db);
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "starting a transaction on " + db->path);
    }
}

spsearch_status_t sp_xdb_commit(sp_xdb *db, sp_error *err)
{
    if (db->wdb == NULL)
        return not_writable(db, err);
    try {
        db_hold hold(db, true);
        spsearch_status_t wst = writer_status(db, err);
        if (wst != SPSEARCH_OK)
            return wst;
        if (db->in_txn) {
            db->in_txn = false;
            db->wdb->commit_transaction();
        } else {
            db->wdb->commit();
        }
        metadata_committed(db);
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "committing to " + db->path);
    }
}

spsearch_status_t sp_xdb_cancel(sp_xdb *db, sp_error *err)
{
    if (db->wdb == NULL)
        return not_writable(db, err);
    try {
        db_hold hold(db, true);
        if (db->in_txn) {
            db->in_txn = false;
            db->wdb->cancel_transaction();
            metadata_committed(db);
        }
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "cancelling a transaction on " + db->path);
    }
}

spsearch_status_t sp_xdb_add_doc(sp_xdb *db, const sp_xdoc *doc,
                                 uint32_t *docid, sp_error *err)
{
    if (db->wdb == NULL)
        return not_writable(db, err);
    try {
        db_hold hold(db, true);
        Xapian::docid id = db->wdb->add_document(doc->doc);
        if (docid != NULL)
            *docid = id;
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "adding a document to " + db->path);
    }
}

/* Queues doc (a document or a metadata write) for the writer thread,
 * starting it the first time; takes doc in every case. */
static spsearch_status_t enqueue(sp_xdb *db, sp_xdoc *doc, sp_error *err)
{
    try {
        sp_xwriter *w = db->w;
        std::unique_lock<std::mutex> lk(w->q_mu);
        if (!w->started) {
            w->thread = std::thread(writer_run, db);
            w->started = true;
        }
        if (w->queue.size() >= WRITER_QUEUE_MAX) {
            w->caller_full = true;
            w->room_cv.wait(lk, [w] {
                return w->queue.size() <= WRITER_QUEUE_MAX / 2 ||
                       w->st != SPSEARCH_OK;
            });
            w->caller_full = false;
        }
        if (w->st != SPSEARCH_OK) {
            if (err != NULL)
                *err = w->err;
            spsearch_status_t st = w->st;
            lk.unlock();
            delete doc;
            return st;
        }
        w->queue.push_back(doc);
        bool start = w->writer_idle && w->queue.size() >= WRITER_BATCH;
        lk.unlock();
        if (start)
            w->work_cv.notify_one();
        return SPSEARCH_OK;
    } catch (...) {
        /* Not queued: thread creation or the queue's memory failed. */
        delete doc;
        return fail(err, "adding a document to " + db->path);
    }
}

spsearch_status_t sp_xdb_add_doc_async(sp_xdb *db, sp_xdoc *doc,
                                       sp_error *err)
{
    if (db->wdb == NULL) {
        sp_xdoc_free(doc);
        return not_writable(db, err);
    }
    return enqueue(db, doc, err);
}

/* v as a malloc'd array for a C caller (NULL when empty). */
static spsearch_status_t copy_out(const std::vector<uint32_t> &v,
                                  uint32_t **out, size_t *n, sp_error *err)
{
    if (v.empty())
        return SPSEARCH_OK;
    *out = static_cast<uint32_t *>(malloc(v.size() * sizeof **out));
    if (*out == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    memcpy(*out, v.data(), v.size() * sizeof **out);
    *n = v.size();
    return SPSEARCH_OK;
}

spsearch_status_t sp_xdb_replace_doc_async(sp_xdb *db, uint32_t docid,
                                           sp_xdoc *doc, sp_error *err)
{
    if (docid == 0) {
        sp_xdoc_free(doc);
        return sp_error_set(err, SPSEARCH_INVALID, "replacing document 0");
    }
    doc->target = docid;
    return sp_xdb_add_doc_async(db, doc, err);
}

spsearch_status_t sp_xdb_term_docids(sp_xdb *db, const char *term,
                                     uint32_t **ids, size_t *n,
                                     sp_error *err)
{
    *ids = NULL;
    *n = 0;
    try {
        /* Without waiting for the queue: what it holds does not change the
         * term's documents (see xdb.h), and waiting would stop the writer
         * thread from working beside the caller at every changed file. */
        db_hold hold(db, false);
        std::string t(term);
        std::vector<uint32_t> v;
        for (Xapian::PostingIterator p = db->db->postlist_begin(t);
             p != db->db->postlist_end(t); ++p)
            v.push_back(*p);
        return copy_out(v, ids, n, err);
    } catch (...) {
        return fail(err, "reading the documents of a term in " + db->path);
    }
}

spsearch_status_t sp_xdb_delete_docids(sp_xdb *db, const uint32_t *ids,
                                       size_t n, sp_error *err)
{
    if (db->wdb == NULL)
        return not_writable(db, err);
    try {
        if (db->w != NULL && db->w->started) {
            /* In order with the documents queued before them. */
            spsearch_status_t st = SPSEARCH_OK;
            for (size_t i = 0; i < n && st == SPSEARCH_OK; i++) {
                sp_xdoc *op = new sp_xdoc();
                op->del = true;
                op->target = ids[i];
                st = enqueue(db, op, err);
            }
            return st;
        }
        db_hold hold(db, false);
        for (size_t i = 0; i < n; i++)
            db->wdb->delete_document(ids[i]);
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "deleting documents from " + db->path);
    }
}

spsearch_status_t sp_xdb_delete_term(sp_xdb *db, const char *term,
                                     sp_error *err)
{
    if (db->wdb == NULL)
        return not_writable(db, err);
    try {
        db_hold hold(db, true);
        db->wdb->delete_document(std::string(term));
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "deleting documents from " + db->path);
    }
}

spsearch_status_t sp_xdb_doc_count(sp_xdb *db, uint32_t *count, sp_error *err)
{
    *count = 0;
    try {
        db_hold hold(db, true);
        *count = db->db->get_doccount();
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "counting documents in " + db->path);
    }
}

void sp_xdb_locked(sp_xdb *db, int *locked)
{
    *locked = 0;
    try {
        db_hold hold(db, false);
        *locked = db->db->locked();
    } catch (...) {
        /* UnimplementedError for a remote shard: not seen. */
    }
}

spsearch_status_t sp_xdb_term_freq(sp_xdb *db, const char *term,
                                   uint32_t *freq, sp_error *err)
{
    *freq = 0;
    try {
        db_hold hold(db, true);
        *freq = db->db->get_termfreq(term);
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "reading term frequencies in " + db->path);
    }
}

spsearch_status_t sp_xdb_term_count(sp_xdb *db, const char *prefix,
                                    uint64_t *count, sp_error *err)
{
    *count = 0;
    try {
        db_hold hold(db, true);
        uint64_t n = 0;
        for (Xapian::TermIterator t = db->db->allterms_begin(prefix);
             t != db->db->allterms_end(prefix); ++t)
            n++;
        *count = n;
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "counting terms in " + db->path);
    }
}

spsearch_status_t sp_xdb_terms(sp_xdb *db, const char *prefix,
                               sp_xdb_term_fn fn, void *ctx, sp_error *err)
{
    try {
        db_hold hold(db, true);
        for (Xapian::TermIterator t = db->db->allterms_begin(prefix);
             t != db->db->allterms_end(prefix); ++t) {
            const std::string &term = *t;
            if (fn(ctx, term.data(), term.size(), t.get_termfreq()) != 0)
                break;
        }
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "listing terms of " + db->path);
    }
}

/* The committed value of key through db's own metadata reader; false when
 * that reader cannot be used (then the writer is asked). */
static bool committed_metadata(sp_xdb *db, const char *key, std::string *v)
{
    for (int attempt = 0; attempt <= MODIFIED_RETRIES; attempt++) {
        try {
            if (db->meta_reader == nullptr)
                db->meta_reader = new Xapian::Database(db->path);
            *v = db->meta_reader->get_metadata(key);
            return true;
        } catch (const Xapian::DatabaseModifiedError &) {
            try {
                db->meta_reader->reopen();
            } catch (...) {
                return false;
            }
        } catch (...) {
            return false;
        }
    }
    return false;
}

spsearch_status_t sp_xdb_get_metadata(sp_xdb *db, const char *key,
                                      char **val, size_t *len, sp_error *err)
{
    *val = NULL;
    *len = 0;
    try {
        std::string v;
        bool working = db->w != NULL && db->w->started;
        auto since = db->meta_since_commit.find(key);
        if (working && since != db->meta_since_commit.end()) {
            v = since->second;
        } else if (!working || !committed_metadata(db, key, &v)) {
            db_hold hold(db, false);
            v = db->db->get_metadata(key);
        }
        if (v.empty())
            return SPSEARCH_OK;
        return copy_out(v, val, len, err);
    } catch (...) {
        return fail(err, "reading metadata from " + db->path);
    }
}

spsearch_status_t sp_xdb_set_metadata(sp_xdb *db, const char *key,
                                      const char *val, size_t len,
                                      sp_error *err)
{
    if (db->wdb == NULL)
        return not_writable(db, err);
    try {
        std::string v(val ? val : "", len);
        db->meta_since_commit[key] = v;
        if (db->w != NULL && db->w->started) {
            /* In order with the documents queued before it. */
            std::unique_ptr<sp_xdoc> op(new sp_xdoc());
            op->meta = true;
            op->key = key;
            op->value = v;
            return enqueue(db, op.release(), err);
        }
        db_hold hold(db, false);
        db->wdb->set_metadata(key, v);
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "writing metadata to " + db->path);
    }
}

spsearch_status_t sp_xdb_metadata_keys(sp_xdb *db, const char *prefix,
                                       sp_xdb_key_fn fn, void *ctx,
                                       sp_error *err)
{
    try {
        db_hold hold(db, true);
        for (Xapian::TermIterator t = db->db->metadata_keys_begin(prefix);
             t != db->db->metadata_keys_end(prefix); ++t) {
            const std::string &k = *t;
            if (fn(ctx, k.c_str(), k.size()) != 0)
                break;
        }
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "listing metadata of " + db->path);
    }
}

/* Runs read(attempt) on db, reopening it and trying again while a writer
 * moves the index on underneath (DatabaseModifiedError); what, followed by
 * the index's path, names the reading in messages. */
extern "C++" {
template <typename Read>
static spsearch_status_t read_retrying(sp_xdb *db, const char *what,
                                       Read read, sp_error *err)
{
    for (int attempt = 0;; attempt++) {
        try {
            db_hold hold(db, true);
            return read(attempt);
        } catch (const Xapian::DatabaseModifiedError &) {
            if (attempt >= MODIFIED_RETRIES || db->wdb != NULL)
                return fail(err, std::string(what) + " " + db->path);
            try {
                db->db->reopen();
            } catch (...) {
                return fail(err, "reopening index " + db->path);
            }
        } catch (...) {
            return fail(err, std::string(what) + " " + db->path);
        }
    }
}
}

int sp_xdb_is_stub(const sp_xdb *db)
{
    return db != NULL && db->stub;
}

spsearch_status_t sp_xdb_doc_data(sp_xdb *db, uint32_t docid, char **data,
                                  size_t *len, sp_error *err)
{
    *data = NULL;
    *len = 0;
    return read_retrying(
        db, "reading a document from",
        [&](int) {
            return copy_out(db->db->get_document(docid).get_data(), data,
                            len, err);
        },
        err);
}

spsearch_status_t sp_xdb_doc_record(sp_xdb *db, uint32_t docid, unsigned slot,
                                    char **data, size_t *len, sp_error *err)
{
    *data = NULL;
    *len = 0;
    return read_retrying(
        db, "reading a passage from",
        [&](int attempt) {
            /* The docid comes from a match on this revision, and a newer
             * one throws DatabaseModifiedError, so Xapian need not check
             * that the document exists first; after a reopen it must. */
            Xapian::Document doc =
                attempt == 0
                    ? db->db->get_document(docid, Xapian::DOC_ASSUME_VALID)
                    : db->db->get_document(docid);
            std::string rec = doc.get_value(slot);
            if (rec.empty())
                rec = doc.get_data();
            if (rec.empty())
                return sp_error_set(err, SPSEARCH_CORRUPT,
                                    "index %s: passage %u has no record",
                                    db->path.c_str(), (unsigned)docid);
            return copy_out(rec, data, len, err);
        },
        err);
}

spsearch_status_t sp_xdb_doc_value(sp_xdb *db, uint32_t docid, unsigned slot,
                                   char **val, size_t *len, sp_error *err)
{
    *val = NULL;
    *len = 0;
    try {
        db_hold hold(db, true);
        /* Docids come from a match; see sp_xdb_doc_record. */
        return copy_out(db->db->get_document(docid, Xapian::DOC_ASSUME_VALID)
                            .get_value(slot),
                        val, len, err);
    } catch (...) {
        return fail(err, "reading a value from " + db->path);
    }
}

spsearch_status_t sp_xdb_positions(sp_xdb *db, uint32_t docid,
                                   const char *term, uint32_t **pos,
                                   size_t *n, sp_error *err)
{
    *pos = NULL;
    *n = 0;
    try {
        db_hold hold(db, true);
        std::vector<uint32_t> v;
        for (Xapian::PositionIterator p = db->db->positionlist_begin(docid,
                                                                     term);
             p != db->db->positionlist_end(docid, term); ++p)
            v.push_back(*p);
        return copy_out(v, pos, n, err);
    } catch (...) {
        return fail(err, "reading positions from " + db->path);
    }
}

spsearch_status_t sp_xdoc_new(sp_xdoc **out, sp_error *err)
{
    *out = NULL;
    try {
        *out = new sp_xdoc();
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "making a document");
    }
}

void sp_xdoc_free(sp_xdoc *doc)
{
    try {
        delete doc;
    } catch (...) {
    }
}

spsearch_status_t sp_xdoc_add_posting(sp_xdoc *doc, const char *term,
                                      size_t len, uint32_t pos, sp_error *err)
{
    try {
        doc->doc.add_posting(std::string(term, len), pos);
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "adding a term");
    }
}

spsearch_status_t sp_xdoc_add_term(sp_xdoc *doc, const char *term, size_t len,
                                   uint32_t wdf_inc, sp_error *err)
{
    try {
        doc->doc.add_term(std::string(term, len), wdf_inc);
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "adding a term");
    }
}

spsearch_status_t sp_xdoc_add_boolean(sp_xdoc *doc, const char *term,
                                      size_t len, sp_error *err)
{
    try {
        doc->doc.add_boolean_term(std::string(term, len));
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "adding a boolean term");
    }
}

spsearch_status_t sp_xdoc_set_value(sp_xdoc *doc, unsigned slot,
                                    const char *val, size_t len, sp_error *err)
{
    try {
        doc->doc.add_value(slot, std::string(val, len));
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "setting a value");
    }
}

spsearch_status_t sp_xdoc_set_data(sp_xdoc *doc, const char *data, size_t len,
                                   sp_error *err)
{
    try {
        doc->doc.set_data(std::string(data, len));
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "setting document data");
    }
}

/* Xapian's BM25Weight defaults, which ranked indexes before format 4. */
static const double BM25_K1 = 1.0;
static const double BM25_B = 0.5;
static const double BM25_MIN_NORMLEN = 0.5;

/* In glass every document length a query reads is a seek into the length
 * list and a linear scan of its chunk; with passages as documents that
 * was most of a search's time.  So the length goes into the frequencies
 * once, at index time, and the search runs BM25 with b = 0, which reads
 * no length.  The reference length stands for the collection's average
 * (it was 129 on the bench corpora), so a document's weights do not
 * change as the index grows. */
spsearch_status_t sp_xdoc_fold_length(sp_xdoc *doc, const char *uncounted,
                                      sp_error *err)
{
    try {
        Xapian::Document &d = doc->doc;
        size_t ulen = uncounted ? strlen(uncounted) : 0;
        std::vector<std::pair<std::string, Xapian::termcount>> weighted;
        double length = 0;
        for (Xapian::TermIterator t = d.termlist_begin();
             t != d.termlist_end(); ++t) {
            Xapian::termcount wdf = t.get_wdf();
            if (wdf == 0)
                continue; /* boolean */
            if (ulen == 0 || (*t).compare(0, ulen, uncounted) != 0)
                length += wdf;
            weighted.emplace_back(*t, wdf);
        }
        /* Past 31 times the reference, K would exceed the scale and a
         * frequency would have to shrink, which add_term cannot do. */
        double norm = std::min(std::max(length / SP_XFOLD_LENGTH,
                                        BM25_MIN_NORMLEN),
                               2.0 * SP_XFOLD_SCALE - 1);
        double k = 1 - BM25_B + BM25_B * norm;
        for (const auto &w : weighted) {
            auto folded = static_cast<Xapian::termcount>(
                SP_XFOLD_SCALE * w.second / k + 0.5);
            if (folded > w.second)
                d.add_term(w.first, folded - w.second);
        }
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "weighting a document");
    }
}

static spsearch_status_t wrap(const Xapian::Query &q, sp_xquery **out)
{
    *out = new sp_xquery();
    (*out)->q = q;
    return SPSEARCH_OK;
}

spsearch_status_t sp_xquery_term(const char *term, size_t len, uint32_t wqf,
                                 uint32_t pos, sp_xquery **out, sp_error *err)
{
    *out = NULL;
    try {
        return wrap(Xapian::Query(std::string(term, len), wqf, pos), out);
    } catch (...) {
        return fail(err, "building a query");
    }
}

spsearch_status_t sp_xquery_all(sp_xquery **out, sp_error *err)
{
    *out = NULL;
    try {
        return wrap(Xapian::Query::MatchAll, out);
    } catch (...) {
        return fail(err, "building a query");
    }
}

spsearch_status_t sp_xquery_wildcard(const char *prefix,
                                     uint32_t max_expansion, sp_xquery **out,
                                     sp_error *err)
{
    *out = NULL;
    try {
        /* Past the limit, keep the most frequent terms rather than fail.
         * Xapian 1.4 reads a limit of 0 with MOST_FREQUENT as "keep none",
         * so no limit needs the plain mode, where 0 means unlimited. */
        int limit = max_expansion == 0
                        ? Xapian::Query::WILDCARD_LIMIT_ERROR
                        : Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT;
        return wrap(Xapian::Query(Xapian::Query::OP_WILDCARD, prefix,
                                  max_expansion, limit),
                    out);
    } catch (...) {
        return fail(err, "building a query");
    }
}

spsearch_status_t sp_xquery_value_range(unsigned slot, const char *lo,
                                        const char *hi, sp_xquery **out,
                                        sp_error *err)
{
    *out = NULL;
    try {
        if (lo != NULL && hi != NULL)
            return wrap(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo,
                                      hi),
                        out);
        if (lo != NULL)
            return wrap(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo),
                        out);
        if (hi != NULL)
            return wrap(Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi),
                        out);
        return wrap(Xapian::Query::MatchAll, out);
    } catch (...) {
        return fail(err, "building a query");
    }
}

spsearch_status_t sp_xquery_combine(sp_xq_op op, sp_xquery *const *subs,
                                    size_t n, uint32_t window,
                                    sp_xquery **out, sp_error *err)
{
    *out = NULL;
    try {
        Xapian::Query::op xop;
        switch (op) {
        case SP_XQ_AND: xop = Xapian::Query::OP_AND; break;
        case SP_XQ_OR: xop = Xapian::Query::OP_OR; break;
        case SP_XQ_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
        case SP_XQ_AND_MAYBE: xop = Xapian::Query::OP_AND_MAYBE; break;
        case SP_XQ_FILTER: xop = Xapian::Query::OP_FILTER; break;
        case SP_XQ_PHRASE: xop = Xapian::Query::OP_PHRASE; break;
        case SP_XQ_NEAR: xop = Xapian::Query::OP_NEAR; break;
        case SP_XQ_SYNONYM: xop = Xapian::Query::OP_SYNONYM; break;
        case SP_XQ_MAX: xop = Xapian::Query::OP_MAX; break;
        default:
            return sp_error_set(err, SPSEARCH_INVALID,
                                "building a query: unknown operator %d",
                                (int)op);
        }
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++)
            v.push_back(subs[i]->q);
        return wrap(Xapian::Query(xop, v.begin(), v.end(), window), out);
    } catch (...) {
        return fail(err, "building a query");
    }
}

spsearch_status_t sp_xquery_scale(const sp_xquery *q, double factor,
                                  sp_xquery **out, sp_error *err)
{
    *out = NULL;
    try {
        return wrap(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q,
                                  factor),
                    out);
    } catch (...) {
        return fail(err, "building a query");
    }
}

char *sp_xquery_describe(const sp_xquery *q)
{
    try {
        std::string d = q->q.get_description();
        char *s = NULL;
        if (copy_out(d, &s, NULL, NULL) != SPSEARCH_OK)
            return NULL;
        return s;
    } catch (...) {
        return NULL;
    }
}

void sp_xquery_free(sp_xquery *q)
{
    try {
        delete q;
    } catch (...) {
    }
}

spsearch_status_t sp_xdb_search(sp_xdb *db, const sp_xquery *query,
                                const sp_xsearch_opts *opts, sp_xmset **out,
                                sp_error *err)
{
    *out = NULL;
    sp_xmset *m = NULL;
    spsearch_status_t st = read_retrying(
        db, "searching",
        [&](int) {
            if (m == NULL) {
                m = new sp_xmset();
                m->enq = NULL;
            }
            delete m->enq;
            m->enq = NULL;
            m->db = db->db;
            m->enq = new Xapian::Enquire(*db->db);
            Xapian::Enquire &enq = *m->enq;
            if (opts->folded_lengths) {
                /* BM25 over folded frequencies, scaled back to the usual
                 * BM25 scores (see sp_xdoc_fold_length). */
                const double k1 = BM25_K1 * SP_XFOLD_SCALE;
                enq.set_query(Xapian::Query(
                    Xapian::Query::OP_SCALE_WEIGHT, query->q,
                    (BM25_K1 + 1) / (k1 + 1)));
                enq.set_weighting_scheme(
                    Xapian::BM25Weight(k1, 0, 1, 0, BM25_MIN_NORMLEN));
            } else {
                enq.set_query(query->q);
                enq.set_weighting_scheme(Xapian::BM25Weight(
                    BM25_K1, 0, 1, BM25_B, BM25_MIN_NORMLEN));
            }
            m->folded = opts->folded_lengths;
            if (opts->collapse_slot >= 0)
                enq.set_collapse_key(opts->collapse_slot,
                                     opts->collapse_max ? opts->collapse_max
                                                        : 1);
            if (opts->sort_slot >= 0)
                enq.set_sort_by_value_then_relevance(opts->sort_slot,
                                                     opts->sort_descending);
            m->mset = enq.get_mset(opts->offset, opts->limit,
                                   opts->check_at_least);
            return SPSEARCH_OK;
        },
        err);
    if (st != SPSEARCH_OK) {
        delete m;
        return st;
    }
    *out = m;
    return SPSEARCH_OK;
}

/* The distinct values in slot of the documents a query matches, seen as
 * the matcher finds them: memory for the values only, not one MSet item
 * per match. */
namespace {
class SlotSpy : public Xapian::MatchSpy {
  public:
    SlotSpy(unsigned slot, const std::unordered_set<std::string> *skip)
        : slot_(slot), skip_(skip)
    {
    }
    void operator()(const Xapian::Document &doc, double) override
    {
        std::string v = doc.get_value(slot_);
        if (skip_ == nullptr || skip_->count(v) == 0)
            values.insert(std::move(v));
    }
    std::unordered_set<std::string> values;

  private:
    unsigned slot_;
    const std::unordered_set<std::string> *skip_;
};
} // namespace

/* The values of slot among every match of q, less those in skip.  A
 * spy of ours cannot run on a remote shard (its server does not know it):
 * there every match is read instead, as collapsed MSet items. */
static void slot_values(Xapian::Database &db, const Xapian::Query &q,
                        unsigned slot,
                        const std::unordered_set<std::string> *skip,
                        std::unordered_set<std::string> &out)
{
    Xapian::Enquire enq(db);
    /* Which documents, not how well: no weights to compute. */
    enq.set_query(q);
    enq.set_weighting_scheme(Xapian::BoolWeight());
    enq.set_docid_order(Xapian::Enquire::DONT_CARE);
    Xapian::doccount all = db.get_doccount();
    SlotSpy spy(slot, skip);
    enq.add_matchspy(&spy);
    try {
        enq.get_mset(0, 0, all);
        out.swap(spy.values);
        return;
    } catch (const Xapian::UnimplementedError &) {
    }
    enq.clear_matchspies();
    enq.set_collapse_key(slot);
    Xapian::MSet all_matches = enq.get_mset(0, all, all);
    for (Xapian::MSetIterator it = all_matches.begin();
         it != all_matches.end(); ++it) {
        const std::string &v = it.get_collapse_key();
        if (skip == nullptr || skip->count(v) == 0)
            out.insert(v);
    }
}

spsearch_status_t sp_xdb_count_distinct(sp_xdb *db, const sp_xquery *query,
                                        const sp_xquery *except,
                                        unsigned slot, uint32_t *count,
                                        sp_error *err)
{
    *count = 0;
    return read_retrying(
        db, "counting",
        [&](int) {
            std::unordered_set<std::string> excluded, found;
            if (except != NULL)
                slot_values(*db->db, except->q, slot, nullptr, excluded);
            slot_values(*db->db, query->q, slot,
                        except != NULL ? &excluded : nullptr, found);
            *count = (uint32_t)std::min<size_t>(found.size(), UINT32_MAX);
            return SPSEARCH_OK;
        },
        err);
}

uint32_t sp_xmset_size(const sp_xmset *m)
{
    try {
        return m->mset.size();
    } catch (...) {
        return 0;
    }
}

uint32_t sp_xmset_estimate(const sp_xmset *m)
{
    try {
        return m->mset.get_matches_estimated();
    } catch (...) {
        return 0;
    }
}

uint32_t sp_xmset_lower_bound(const sp_xmset *m)
{
    try {
        return m->mset.get_matches_lower_bound();
    } catch (...) {
        return 0;
    }
}

uint32_t sp_xmset_docid(const sp_xmset *m, uint32_t i)
{
    try {
        return *(m->mset[i]);
    } catch (...) {
        return 0;
    }
}

double sp_xmset_weight(const sp_xmset *m, uint32_t i)
{
    try {
        return m->mset[i].get_weight();
    } catch (...) {
        return 0.0;
    }
}

uint32_t sp_xmset_collapse_count(const sp_xmset *m, uint32_t i)
{
    try {
        return m->mset[i].get_collapse_count();
    } catch (...) {
        return 0;
    }
}

void sp_xmset_free(sp_xmset *m)
{
    try {
        if (m != NULL)
            delete m->enq;
        delete m;
    } catch (...) {
    }
}

/* The explained frequency of a term: its occurrences.  A positional
 * term's are its positions; the others' folded frequencies are unfolded by
 * the document's factor. */
static uint32_t explained_count(const sp_xmset *m, Xapian::termcount wdf,
                                Xapian::termcount n, double unfold)
{
    if (!m->folded)
        return wdf;
    if (n > 0)
        return n;
    return std::max<uint32_t>(1, (uint32_t)(wdf * unfold + 0.5));
}

/* The weight --explain gives a matching term: -1 ("of a word*") for one
 * that a word* added to the query by name, inside its synonym, which
 * Xapian gives no weight of its own. */
static double explained_weight(const sp_xmset *m, const std::string &term,
                               const char *const *prefixes, size_t nprefixes)
{
    double w = m->mset.get_termweight(term);
    for (size_t k = 0; w == 0 && k < nprefixes; k++)
        if (term.compare(0, strlen(prefixes[k]), prefixes[k]) == 0)
            return -1;
    return w;
}

/* Explaining from the term list: the matching terms as Xapian's matcher
 * saw them, the factor read off every positional term of the document. */
static void explain_from_termlist(const sp_xmset *m, Xapian::MSetIterator it,
                                  const char *const *prefixes,
                                  size_t nprefixes, sp_xmset_term_fn fn,
                                  void *ctx)
{
    Xapian::docid id = *it;
    double unfold = 1;
    if (m->folded) {
        double occurrences = 0, folded = 0;
        for (Xapian::TermIterator t = m->db->termlist_begin(id);
             t != m->db->termlist_end(id); ++t) {
            Xapian::termcount n = t.positionlist_count();
            if (n > 0) {
                occurrences += n;
                folded += t.get_wdf();
            }
        }
        if (folded > 0)
            unfold = occurrences / folded;
    }
    std::set<std::string> told;
    for (Xapian::TermIterator t = m->enq->get_matching_terms_begin(it);
         t != m->enq->get_matching_terms_end(it); ++t) {
        const std::string &term = *t;
        Xapian::TermIterator tl = m->db->termlist_begin(id);
        tl.skip_to(term);
        uint32_t wdf = 0;
        if (tl != m->db->termlist_end(id) && *tl == term)
            wdf = explained_count(m, tl.get_wdf(),
                                  m->folded ? tl.positionlist_count() : 0,
                                  unfold);
        told.insert(term);
        if (fn(ctx, term.data(), term.size(), wdf, 0,
               explained_weight(m, term, prefixes, nprefixes)) != 0)
            return;
    }
    /* Xapian 1.4 does not count a wildcard's expansions among the
     * matching terms: the document's own terms under each prefix are. */
    for (size_t k = 0; k < nprefixes; k++) {
        const std::string prefix(prefixes[k]);
        Xapian::TermIterator tl = m->db->termlist_begin(id);
        for (tl.skip_to(prefix); tl != m->db->termlist_end(id); ++tl) {
            const std::string &term = *tl;
            if (term.compare(0, prefix.size(), prefix) != 0)
                break;
            if (!told.insert(term).second)
                continue;
            if (fn(ctx, term.data(), term.size(),
                   explained_count(m, tl.get_wdf(),
                                   m->folded ? tl.positionlist_count() : 0,
                                   unfold),
                   0, -1) != 0)
                return;
        }
    }
}

/* Explaining a copy without term lists (sp_xdb_compact): each query term
 * is looked up in its posting list instead, and the factor is read off the
 * positional ones among them.  When none is positional it comes from the
 * document's folded length D: with L words, D = SCALE * L / K and K = 1 -
 * b + b * L / LENGTH, so K = (1 - b) / (1 - b * D / (SCALE * LENGTH)),
 * which counts exact forms and pair terms as words too, so the count shown
 * for such a term is an estimate. */
static void explain_from_postlists(const sp_xmset *m, Xapian::MSetIterator it,
                                   const char *const *prefixes,
                                   size_t nprefixes, sp_xmset_term_fn fn,
                                   void *ctx)
{
    struct matched {
        std::string term;
        Xapian::termcount wdf, positions;
        bool expanded;
    };
    Xapian::docid id = *it;
    const Xapian::Query q = m->enq->get_query();
    std::set<std::string> seen;
    std::vector<matched> found;
    double occurrences_seen = 0, folded_seen = 0;
    auto look_up = [&](const std::string &term, bool expanded) {
        if (!seen.insert(term).second)
            return;
        Xapian::PostingIterator p = m->db->postlist_begin(term);
        p.skip_to(id);
        if (p == m->db->postlist_end(term) || *p != id)
            return;
        matched f = {term, p.get_wdf(), 0, expanded};
        if (m->folded)
            for (Xapian::PositionIterator k = p.positionlist_begin();
                 k != p.positionlist_end(); ++k)
                f.positions++;
        if (f.positions > 0) {
            occurrences_seen += f.positions;
            folded_seen += f.wdf;
        }
        found.push_back(f);
    };
    for (Xapian::TermIterator t = q.get_terms_begin(); t != q.get_terms_end();
         ++t)
        look_up(*t, false);
    /* A wildcard's expansions, which the query does not list: the terms
     * under its prefix, as many as Xapian expands it to at most. */
    for (size_t k = 0; k < nprefixes; k++) {
        size_t looked = 0;
        for (Xapian::TermIterator t = m->db->allterms_begin(prefixes[k]);
             t != m->db->allterms_end(prefixes[k]) &&
             looked < SP_XEXPLAIN_EXPANSIONS;
             ++t, ++looked)
            look_up(*t, true);
    }
    double unfold = 1;
    int estimated = 0;
    if (folded_seen > 0) {
        unfold = occurrences_seen / folded_seen;
    } else if (m->folded) {
        estimated = 1;
        double d = m->db->get_doclength(id);
        double rest = 1 - BM25_B * d / (SP_XFOLD_SCALE * SP_XFOLD_LENGTH);
        double k = rest > 0 ? (1 - BM25_B) / rest : 2.0 * SP_XFOLD_SCALE;
        k = std::max(k, 1 - BM25_B + BM25_B * BM25_MIN_NORMLEN);
        unfold = k / SP_XFOLD_SCALE;
    }
    for (const matched &f : found)
        if (fn(ctx, f.term.data(), f.term.size(),
               explained_count(m, f.wdf, f.positions, unfold), estimated,
               f.expanded ? -1
                          : explained_weight(m, f.term, prefixes, nprefixes)) !=
                   0)
            break;
}

spsearch_status_t sp_xmset_explain(const sp_xmset *m, uint32_t i,
                                   const char *const *prefixes,
                                   size_t nprefixes, sp_xmset_term_fn fn,
                                   void *ctx, sp_error *err)
{
    try {
        Xapian::MSetIterator it = m->mset[i];
        try {
            explain_from_termlist(m, it, prefixes, nprefixes, fn, ctx);
        } catch (const Xapian::FeatureUnavailableError &) {
            /* Thrown before fn is first called: the term lists are read
             * before any term is reported. */
            explain_from_postlists(m, it, prefixes, nprefixes, fn, ctx);
        }
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "explaining a hit");
    }
}

spsearch_status_t sp_xstem_new(const char *lang, sp_xstem **out,
                               sp_error *err)
{
    *out = NULL;
    try {
        sp_xstem *st = new sp_xstem();
        try {
            st->stem = Xapian::Stem(lang);
        } catch (...) {
            delete st;
            throw;
        }
        *out = st;
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, std::string("making a stemmer for '") + lang + "'");
    }
}

spsearch_status_t sp_xstem_apply(sp_xstem *st, const char *word, size_t len,
                                 char *buf, size_t bufsize, size_t *out_len,
                                 sp_error *err)
{
    *out_len = 0;
    try {
        std::string s = st->stem(std::string(word, len));
        if (s.size() + 1 > bufsize)
            return sp_error_set(err, SPSEARCH_INVALID,
                                "stemming: stem of %zu bytes does not fit",
                                s.size());
        memcpy(buf, s.data(), s.size());
        buf[s.size()] = '\0';
        *out_len = s.size();
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, "stemming");
    }
}

void sp_xstem_free(sp_xstem *st)
{
    try {
        delete st;
    } catch (...) {
    }
}

spsearch_status_t sp_xdb_compact(sp_xdb *db, const char *dest,
                                 sp_error *err)
{
    try {
        db_hold hold(db, true);
        /* One file per table and full blocks: the form for read-mostly
         * use. */
        db->db->compact(dest, Xapian::DBCOMPACT_NO_RENUMBER);
    } catch (...) {
        return fail(err, std::string("compacting ") + db->path + " into " +
                             dest);
    }
    /* The term lists, a quarter of the index, serve only updates (a
     * document is deleted through its terms) and explaining; glass treats
     * the table as optional, so without its file the copy opens and
     * searches as before and reports FeatureUnavailableError where a term
     * list would be read. */
    std::string termlists = std::string(dest) + "/termlist.glass";
    if (unlink(termlists.c_str()) != 0 && errno != ENOENT)
        return sp_error_set(err, SPSEARCH_IO, "removing %s: %s",
                            termlists.c_str(), strerror(errno));
    return SPSEARCH_OK;
}

spsearch_status_t sp_xdb_has_termlists(sp_xdb *db, int *has, sp_error *err)
{
    *has = 1;
    try {
        db_hold hold(db, false);
        Xapian::PostingIterator first = db->db->postlist_begin("");
        if (first != db->db->postlist_end("")) {
            (void)db->db->termlist_begin(*first);
        } else {
            /* An empty index has no document to ask: a glass folder
             * without the table's file is a copy. */
            struct stat sb;
            std::string dir(db->path);
            if (stat((dir + "/iamglass").c_str(), &sb) == 0 &&
                stat((dir + "/termlist.glass").c_str(), &sb) != 0)
                *has = 0;
        }
        return SPSEARCH_OK;
    } catch (const Xapian::FeatureUnavailableError &) {
        *has = 0;
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, std::string("reading ") + db->path);
    }
}

spsearch_status_t sp_xdb_merge(const char *const *srcs, size_t n,
                               const char *dest, sp_error *err)
{
    try {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++)
            all.add_database(Xapian::Database(srcs[i]));
        /* Renumbered: each source's documents follow the previous
         * source's, in order. */
        all.compact(dest, 0);
        return SPSEARCH_OK;
    } catch (...) {
        return fail(err, std::string("merging the parts of an index into ") +
                             dest);
    }
}

} /* extern "C" */
