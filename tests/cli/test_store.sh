# starcert init and audit-verify: creating and migrating a database, the
# scheme registry, and the hash-chained event log.
source "$(dirname "$0")/lib.sh"

db="$TMP/a.db"
run init --db "$db"
expect_rc 0 "init creates a database"
expect_json '.migrations_applied > 0' true "init applies the migrations"
expect_json '.schemes[0].id' gbt27922-2011 "init records the bundled scheme"
expect_json '.schemes[0].added' true "the scheme is new"
latest=$(printf '%s' "$out" | jq -r .schema_version)

run init --db "$db"
expect_rc 0 "init runs again"
expect_json .migrations_applied 0 "a second init applies nothing"
expect_json .schema_version "$latest" "the schema version is stable"
expect_json '.schemes[0].added' false "the same scheme is not recorded twice"

STARCERT_DB="$db" run init
expect_rc 0 "STARCERT_DB stands in for --db"

run init
expect_rc 2 "init without --db is a usage error"
run init --db "$db" extra
expect_rc 2 "init refuses a stray argument"
run init --help
expect_rc 0 "init --help"

# A changed scheme under the same id and version is refused, and nothing is
# written.
sed 's/"quorum": 2/"quorum": 3/' "$(dirname "$0")/../../schemes/gbt27922-2011.json" >"$TMP/changed.json"
before=$(sqlite3 "$db" .dump | sha256sum)
run init --db "$db" --scheme "$TMP/changed.json"
expect_rc 1 "a changed scheme under an existing version is refused"
expect_json .error.code conflict "the refusal is a conflict"
after=$(sqlite3 "$db" .dump | sha256sum)
[ "$before" = "$after" ] && ok || bad "the refused scheme left the database changed"

# The same content under a new version is accepted.
sed 's/"version": "1"/"version": "2"/; s/"quorum": 2/"quorum": 3/' \
  "$(dirname "$0")/../../schemes/gbt27922-2011.json" >"$TMP/v2.json"
run init --db "$db" --scheme "$TMP/v2.json"
expect_rc 0 "a new scheme version is recorded"
expect_json '.schemes[1].version' 2 "version 2 is listed"
expect_json '.schemes[1].added' true "version 2 is new"

run init --db "$db" --scheme "$TMP/missing.json"
expect_rc 1 "a missing scheme file is refused"
expect_json .error.code io_error "as an I/O error"

printf '{"id": "x"}' >"$TMP/bad.json"
run init --db "$db" --scheme "$TMP/bad.json"
expect_rc 1 "an invalid scheme file is refused"
expect_json .error.code scheme_invalid "as an invalid scheme"

# The event chain verifies, then catches an edited, a deleted and a
# reordered row.
run audit-verify --db "$db"
expect_rc 0 "the chain verifies"
expect_json .valid true "valid"
expect_json .events 2 "two scheme loads were logged"

cp "$db" "$TMP/edit.db"
sqlite3 "$TMP/edit.db" "UPDATE events SET detail = '{\"id\":\"forged\"}' WHERE id = 2"
run audit-verify --db "$TMP/edit.db"
expect_rc 1 "an edited event is caught"
expect_json .bad_event 2 "the edited row is named"
expect_json .error.field events "field events"

cp "$db" "$TMP/del.db"
sqlite3 "$TMP/del.db" "DELETE FROM events WHERE id = 1"
run audit-verify --db "$TMP/del.db"
expect_rc 1 "a deleted event is caught"
expect_json .bad_event 2 "the row after the gap is named"

cp "$db" "$TMP/hash.db"
sqlite3 "$TMP/hash.db" "UPDATE events SET hash = prev_hash WHERE id = 2"
run audit-verify --db "$TMP/hash.db"
expect_rc 1 "a replaced hash is caught"
expect_json .bad_event 2 "the row is named"

run audit-verify --db "$TMP/none.db"
expect_rc 1 "a missing database is refused"
expect_json .error.field db "field db"
[ ! -e "$TMP/none.db" ] && ok || bad "audit-verify created a database"

sqlite3 "$TMP/old.db" "CREATE TABLE t (x)"
run audit-verify --db "$TMP/old.db"
expect_rc 1 "a database that was never initialised is refused"
expect_json .error.code state_conflict "with a hint to run init"

finish
