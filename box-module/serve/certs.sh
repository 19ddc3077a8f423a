#!/usr/bin/env bash
# Test certificates for the served stub box, made with openssl: a CA for the box's server certificate
# (crm.example.test, 127.0.0.1), a CA for client certificates, the appliance's client certificate and another client
# certificate from the same CA (valid, other subject). Usage: certs.sh <dir>
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
[ -f appliance.crt ] && exit 0

ca() { # name subject
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.crt" -days 30 -subj "$2" \
		-addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
leaf() { # name subject ca extfile
	openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
	openssl x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" -CAcreateserial -out "$1.crt" -days 30 -extfile "$4" 2>/dev/null
	rm -f "$1.csr"
}

ca box-ca "/O=b24bridge test/CN=box test CA"
ca appliance-ca "/O=b24bridge test/CN=appliance test CA"
printf 'subjectAltName=DNS:crm.example.test,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
printf 'extendedKeyUsage=clientAuth\n' >client.ext
leaf box "/O=b24bridge test/CN=crm.example.test" box-ca server.ext
leaf appliance "/O=b24bridge test/CN=b24bridge-appliance" appliance-ca client.ext
leaf other "/O=b24bridge test/CN=someone-else" appliance-ca client.ext
rm -f server.ext client.ext ./*.srl
