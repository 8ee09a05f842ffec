/*
 * xapian-plain - the plain Xapian peer: what an application gets from
 * Xapian's own TermGenerator and QueryParser without any of spsearch's
 * work.
 *
 *   xapian-plain index DB DIR [--group]
 *       One document per *.txt file under DIR: TermGenerator with the
 *       English stemmer (Xapian's default STEM_SOME: stemmed and unstemmed
 *       terms, with positions), the path as document data.  --group puts the
 *       name of the file's folder in value slot 0 (paragraph-level runs
 *       collapse on it).  Xapian reads XAPIAN_FLUSH_THRESHOLD itself.
 *
 *   xapian-plain search DB QUERIES [--snippet|--snippet-cheap] [--or]
 *                [--collapse] [--lat FILE] [--out FILE]
 *       Runs each line of QUERIES (QueryParser, English stemmer, phrases;
 *       all words required unless --or) and takes the BM25 top 10 with
 *       their paths.  --snippet reads each hit's file and calls
 *       MSet::snippet (default flags: background model, exhaustive);
 *       --snippet-cheap passes flags 0.  --collapse returns one document
 *       per value of slot 0.  --lat writes one latency in ms a line;
 *       --out writes "query rank path shown-text" lines.
 */
#include "benchutil.h"

#include <xapian.h>

#include <iostream>
#include <string>

static int usage()
{
    std::cerr << "usage: xapian-plain index DB DIR [--group]\n"
                 "       xapian-plain search DB QUERIES [--snippet|"
                 "--snippet-cheap] [--or] [--collapse] [--lat FILE] "
                 "[--out FILE]\n";
    return 2;
}

static std::string folder_of(const std::string &path)
{
    size_t slash = path.rfind('/');
    if (slash == std::string::npos)
        return "";
    size_t before = path.rfind('/', slash - 1);
    before = before == std::string::npos ? 0 : before + 1;
    return path.substr(before, slash - before);
}

static int do_index(const char *db_path, const char *dir, bool group)
{
    bench_list files = bench_list_files(dir);
    Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    size_t bytes = 0;
    for (size_t i = 0; i < files.n; i++) {
        size_t len;
        char *text = bench_read_file(files.items[i], &len);
        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text(std::string(text, len));
        doc.set_data(files.items[i]);
        doc.add_boolean_term(std::string("Q") + files.items[i]);
        if (group)
            doc.add_value(0, folder_of(files.items[i]));
        db.add_document(doc);
        bytes += len;
        free(text);
    }
    db.commit();
    std::cout << files.n << " files, " << bytes << " bytes\n";
    return 0;
}

static int do_search(const char *db_path, const char *queries, int snippet,
                     bool any, bool collapse, const char *lat_path,
                     const char *out_path)
{
    bench_list qs = bench_read_lines(queries);
    FILE *lat = bench_open_out(lat_path);
    FILE *out = bench_open_out(out_path);
    Xapian::Database db(db_path);
    Xapian::Enquire enquire(db);
    Xapian::Stem stem("english");
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(stem);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_default_op(any ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
    if (collapse)
        enquire.set_collapse_key(0);
    unsigned flags = snippet == 2 ? 0
                                  : Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
                                        Xapian::MSet::SNIPPET_EXHAUSTIVE;
    /* Pass 0 warms up on the first 50 queries; pass 1 is measured. */
    size_t warm = qs.n < 50 ? qs.n : 50;
    for (size_t pass = 0; pass < 2; pass++) {
        size_t last = pass == 0 ? warm : qs.n;
        for (size_t i = 0; i < last; i++) {
            double t0 = bench_now_ms();
            Xapian::Query q;
            try {
                q = qp.parse_query(qs.items[i],
                                   Xapian::QueryParser::FLAG_DEFAULT);
            } catch (const Xapian::QueryParserError &) {
                q = Xapian::Query();
            }
            enquire.set_query(q);
            Xapian::MSet mset = enquire.get_mset(0, 10);
            size_t rank = 0;
            for (Xapian::MSetIterator m = mset.begin(); m != mset.end(); ++m) {
                std::string path = m.get_document().get_data();
                std::string shown;
                if (snippet) {
                    size_t len;
                    char *text = bench_read_file(path.c_str(), &len);
                    shown = mset.snippet(std::string(text, len), 500, stem,
                                         flags, "[", "]", "...");
                    free(text);
                }
                rank++;
                if (pass == 1)
                    bench_put_result(out, i + 1, rank, path.c_str(),
                                     shown.data(), shown.size());
            }
            double t1 = bench_now_ms();
            if (pass == 1 && lat != NULL)
                fprintf(lat, "%.4f\n", t1 - t0);
        }
    }
    if (lat != NULL)
        fclose(lat);
    if (out != NULL)
        fclose(out);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return usage();
    std::string cmd = argv[1];
    try {
        if (cmd == "index") {
            bool group = argc > 4 && std::string(argv[4]) == "--group";
            return do_index(argv[2], argv[3], group);
        }
        if (cmd != "search")
            return usage();
        int snippet = 0;
        bool any = false, collapse = false;
        const char *lat = NULL, *out = NULL;
        for (int i = 4; i < argc; i++) {
            std::string a = argv[i];
            if (a == "--snippet")
                snippet = 1;
            else if (a == "--snippet-cheap")
                snippet = 2;
            else if (a == "--or")
                any = true;
            else if (a == "--collapse")
                collapse = true;
            else if (a == "--lat" && i + 1 < argc)
                lat = argv[++i];
            else if (a == "--out" && i + 1 < argc)
                out = argv[++i];
            else
                return usage();
        }
        return do_search(argv[2], argv[3], snippet, any, collapse, lat, out);
    } catch (const Xapian::Error &e) {
        std::cerr << "xapian-plain: " << e.get_description() << "\n";
        return 2;
    }
}
