// Command mesoscreen screens patients for contraindications before
// mesotherapy: an interview at the consultation, or batch checks of intake
// files, against a rule set of YAML and CEL.
package main

import (
	"os"

	"github.com/mesoscreen/mesoscreen/cmd/mesoscreen/internal/iostreams"
)

func main() {
	os.Exit(Main(os.Args[1:], iostreams.System()))
}
