//go:build !linux

package main

import (
	"bufio"
	"os"
	"strings"
)

// isTerminal reports whether f is a character device, as near as this
// system lets senco tell a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	st, err := file.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// readHidden reads a line from the terminal; on this system it is echoed.
func readHidden(f *os.File) (string, error) {
	line, err := bufio.NewReader(f).ReadString('\n')
	return strings.TrimRight(line, "\r\n"), err
}
