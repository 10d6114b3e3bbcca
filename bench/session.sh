# session.sh - sourced by the benchmarks: bench_session LOGIN PASSWORD DIR
# logs in to the panel at $POSTBUS_URL (a cookie jar and the login page go
# to DIR) and prints the session cookie as "name=value" (its name may carry
# a prefix), nothing if the login failed.
bench_session() {
	local j="$3/jar.$1" csrf
	curl -sk -c "$j" -b "$j" "${POSTBUS_URL%/}/login" > "$3/login.html"
	csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$3/login.html" |
		sed 's/.*value="//;s/"//')
	curl -sk -c "$j" -b "$j" -o /dev/null --data-urlencode "csrf=$csrf" \
		--data-urlencode "login=$1" --data-urlencode "password=$2" \
		"${POSTBUS_URL%/}/login"
	awk '$6 ~ /postbus_session$/ { print $6 "=" $7 }' "$j"
}
