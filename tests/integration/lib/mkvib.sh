# Sourced by the transaction tests: build test packages with swim-pack.
#
# mkvib OUT.vib NAME VERSION [options]
#   --dep 'NAME [REL VERSION]'      depends (REL as in descriptors: >= etc.)
#   --conflict 'NAME [REL VERSION]'
#   --replace 'NAME [REL VERSION]'
#   --provide 'NAME [VERSION]'
#   --level LEVEL                    acceptance level (default community)
#   --overlay                        may overlay other packages' files
#   --no-live                        live install and remove not allowed
#   --file PATH=CONTENT              a regular file (mode 0644)
#   --link PATH=TARGET               a symlink
# Without --file, the package ships opt/NAME/VERSION.
# Needs $SWIM_PACK_BIN and a scratch directory in $MKVIB_DIR.

_mkvib_rel() {
	# 'name >= 1.0' -> <constraint name= relation= version=/>
	local name rel ver
	read -r name rel ver <<<"$1"
	rel=$(sed 's/</\&lt;/g; s/>/\&gt;/g' <<<"$rel")
	if [ -n "$rel" ]; then
		printf '<%s name="%s" relation="%s" version="%s"/>' "$2" "$name" "$rel" "$ver"
	else
		printf '<%s name="%s"/>' "$2" "$name"
	fi
}

mkvib() {
	local out=$1 name=$2 version=$3
	shift 3
	local deps="" conflicts="" replaces="" provides="" level=community
	local overlay=false live=true tree files=0
	tree=$(mktemp -d "$MKVIB_DIR/tree.XXXXXX")
	while [ $# -gt 0 ]; do
		case $1 in
		--dep) deps+=$(_mkvib_rel "$2" constraint); shift 2 ;;
		--conflict) conflicts+=$(_mkvib_rel "$2" constraint); shift 2 ;;
		--replace) replaces+=$(_mkvib_rel "$2" constraint); shift 2 ;;
		--provide)
			local pn pv
			read -r pn pv <<<"$2"
			if [ -n "$pv" ]; then
				provides+="<provide name=\"$pn\" version=\"$pv\"/>"
			else
				provides+="<provide name=\"$pn\"/>"
			fi
			shift 2 ;;
		--level) level=$2; shift 2 ;;
		--overlay) overlay=true; shift ;;
		--no-live) live=false; shift ;;
		--file)
			mkdir -p "$tree/$(dirname "${2%%=*}")"
			printf '%s\n' "${2#*=}" >"$tree/${2%%=*}"
			files=1
			shift 2 ;;
		--link)
			mkdir -p "$tree/$(dirname "${2%%=*}")"
			ln -s "${2#*=}" "$tree/${2%%=*}"
			files=1
			shift 2 ;;
		*) echo "mkvib: unknown option $1" >&2; return 2 ;;
		esac
	done
	if [ $files = 0 ]; then
		mkdir -p "$tree/opt/$name"
		echo "$name $version" >"$tree/opt/$name/$version"
	fi
	cat >"$MKVIB_DIR/desc.xml" <<XML
<vib version="5.0">
  <type>bootbank</type>
  <name>$name</name>
  <version>$version</version>
  <vendor>test</vendor>
  <summary>$name for tests</summary>
  <relationships>
    <depends>$deps</depends>
    <conflicts>$conflicts</conflicts>
    <replaces>$replaces</replaces>
    <provides>$provides</provides>
  </relationships>
  <acceptance-level>$level</acceptance-level>
  <live-install-allowed>$live</live-install-allowed>
  <live-remove-allowed>$live</live-remove-allowed>
  <overlay>$overlay</overlay>
</vib>
XML
	"$SWIM_PACK_BIN" vib build --descriptor "$MKVIB_DIR/desc.xml" \
		--payload "p=$tree" -o "$out" >/dev/null
}
